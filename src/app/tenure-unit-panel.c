/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-unit-panel"

#include "tenure-unit-panel.h"

#include "analytics/tenure-kpi-unit.h"
#include "base/tenure-money.h"
#include "tenure-history-view.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _TenureUnitPanel
{
  GtkWidget             parent_instance;

  GtkStack             *stack;
  GtkLabel             *title_label;
  GtkLabel             *place_label;
  GtkLabel             *status_label;
  GtkWidget            *history_button;
  AdwPreferencesGroup  *main_group;
  AdwPreferencesGroup  *charges_group;
  AdwPreferencesGroup  *notes_group;

  /* The rows added for the current unit, removed on the next. */
  GPtrArray            *rows;

  /* Where edits go (NULL: the panel is read-only), and the unit shown. */
  TenureDb             *db;
  gint64                unit_id;
  TenureDate            as_of;
};

G_DEFINE_FINAL_TYPE (TenureUnitPanel, tenure_unit_panel, GTK_TYPE_WIDGET)

static const char *const status_classes[TENURE_UNIT_N_STATUSES] = {
  "vacant", "leased", "expiring", "reserved", "not-for-lease", "renovation",
};

static GtkWidget *
add_row (TenureUnitPanel     *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle,
         const char          *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* Short values (figures, dates) sit on the right; long ones (names, reasons) go under the
   * title where they can wrap instead of squeezing it. */
  if (value != NULL && subtitle == NULL && g_utf8_strlen (value, -1) > 16)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_add_css_class (row, "property");
    }
  else if (value != NULL)
    {
      GtkWidget *label = gtk_label_new (value);

      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  return row;
}

static char *
format_date (TenureDate date)
{
  if (!tenure_date_is_valid (date))
    return g_strdup ("—");
  return tenure_date_format_iso (date);
}

static char *
price_text (const TenureClauseInfo *clause)
{
  g_autofree char *price = clause->price_e4 >= 0
                           ? tenure_portfolio_format_price_e4 (clause->price_e4) : NULL;
  g_autofree char *amount = clause->amount >= 0
                            ? tenure_portfolio_format_fen (clause->amount) : NULL;

  if (g_strcmp0 (clause->basis, "per_m2_day") == 0 && price != NULL)
    return g_strdup_printf (_("%s yuan per m² per day"), price);
  if (g_strcmp0 (clause->basis, "per_m2_month") == 0 && price != NULL)
    return g_strdup_printf (_("%s yuan per m² per month"), price);
  if (g_strcmp0 (clause->basis, "fixed_month") == 0 && amount != NULL)
    return g_strdup_printf (_("%s yuan per month"), amount);
  if (g_strcmp0 (clause->basis, "fixed_period") == 0 && amount != NULL)
    return g_strdup_printf (_("%s yuan per period"), amount);
  if (g_strcmp0 (clause->basis, "one_off") == 0 && amount != NULL)
    return g_strdup_printf (_("%s yuan once"), amount);
  if (g_strcmp0 (clause->basis, "turnover") == 0 && amount != NULL)
    return g_strdup_printf (_("minimum %s yuan per settlement period"), amount);
  return g_strdup (_("No price in the clause"));
}

/* The contract's arrears from the open items: the overdue amount to the fen, how many items
 * and the oldest due date; what is billed but not yet due on a second row. */
static void
add_arrears (TenureUnitPanel             *self,
             const TenureContractArrears *arrears)
{
  const TenureCurrency *currency = tenure_currency_lookup (arrears->currency);
  g_autofree char *overdue = NULL;
  g_autofree char *subtitle = NULL;

  if (arrears->open_total == 0)
    {
      add_row (self, self->main_group, _("Arrears"), NULL, _("None"));
      return;
    }
  overdue = tenure_money_format (tenure_money_new (arrears->overdue, currency),
                                 TENURE_MONEY_FORMAT_DEFAULT);
  if (arrears->n_overdue > 0)
    {
      g_autofree char *oldest = tenure_date_format_iso (arrears->oldest_due);
      g_autofree char *items = g_strdup_printf (ngettext ("%u overdue item",
                                                          "%u overdue items",
                                                          arrears->n_overdue),
                                                arrears->n_overdue);

      /* TRANSLATORS: "3 overdue items · oldest due 2026-08-05" */
      subtitle = g_strdup_printf (_("%s · oldest due %s"), items, oldest);
    }
  else
    subtitle = g_strdup (_("Nothing overdue"));
  if (arrears->mixed)
    {
      g_autofree char *with = g_strdup_printf (
        "%s\n%s", subtitle, _("Items in other currencies are not included"));
      g_free (subtitle);
      subtitle = g_steal_pointer (&with);
    }
  {
    GtkWidget *row = add_row (self, self->main_group, _("Arrears"), subtitle, overdue);

    gtk_widget_set_name (row, "unit-arrears");
    adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  }
  if (arrears->open_total != arrears->overdue)
    {
      g_autofree char *open = tenure_money_format (tenure_money_new (arrears->open_total,
                                                                     currency),
                                                   TENURE_MONEY_FORMAT_DEFAULT);

      add_row (self, self->main_group, _("Open, including not yet due"), NULL, open);
    }
}

/* The contract's last bill and the next planned receivable. */
static void
add_billing_status (TenureUnitPanel  *self,
                    TenureUnitDetail *detail)
{
  const TenureCurrency *currency = tenure_currency_lookup (detail->bill_currency);

  if (detail->last_bill_code != NULL)
    {
      g_autofree char *total = tenure_money_format (tenure_money_new (detail->last_bill_total,
                                                                      currency),
                                                    TENURE_MONEY_FORMAT_DEFAULT);
      g_autofree char *posted = format_date (detail->last_bill_posted);
      g_autofree char *due = format_date (detail->last_bill_due);
      /* TRANSLATORS: last bill: code · posted on · due on */
      g_autofree char *subtitle = g_strdup_printf (_("%s · posted %s · due %s"),
                                                   detail->last_bill_code, posted, due);

      add_row (self, self->main_group, _("Last bill"), subtitle, total);
    }
  else
    add_row (self, self->main_group, _("Last bill"), NULL, _("None yet"));
  if (tenure_date_is_valid (detail->next_due))
    {
      g_autofree char *amount = tenure_money_format (tenure_money_new (detail->next_amount,
                                                                       currency),
                                                     TENURE_MONEY_FORMAT_DEFAULT);
      g_autofree char *due = format_date (detail->next_due);
      /* TRANSLATORS: next planned receivable: due date */
      g_autofree char *subtitle = g_strdup_printf (_("due %s"), due);

      add_row (self, self->main_group, _("Next bill"), subtitle, amount);
    }
  else
    add_row (self, self->main_group, _("Next bill"), NULL, _("Nothing planned"));
}

static void
show_leased (TenureUnitPanel  *self,
             TenureUnitDetail *detail)
{
  TenureUnitInfo *unit = detail->unit;
  g_autofree char *start = format_date (unit->contract_start);
  g_autofree char *end = format_date (unit->contract_end);
  g_autofree char *term = g_strdup_printf (_("%s to %s"), start, end);
  g_autofree char *contract_area = tenure_portfolio_format_area_c (detail->contract_area_c);
  g_autofree char *contract_area_text = g_strdup_printf (_("%s m²"), contract_area);
  g_autofree char *days = NULL;

  add_row (self, self->main_group, _("Contract"), NULL, unit->contract_code);
  add_row (self, self->main_group, _("Tenant"), NULL, unit->tenant_name);
  add_row (self, self->main_group, _("Term"), NULL, term);
  if (unit->days_to_expiry >= 0)
    days = g_strdup_printf (ngettext ("%d day", "%d days", unit->days_to_expiry),
                            unit->days_to_expiry);
  else
    days = g_strdup (_("Ended"));
  add_row (self, self->main_group, _("Days to expiry"), NULL, days);
  add_row (self, self->main_group, _("Area in the contract"), NULL, contract_area_text);
  add_arrears (self, &detail->arrears);
  add_billing_status (self, detail);

  for (guint i = 0; i < detail->clauses->len; i++)
    {
      const TenureClauseInfo *clause = detail->clauses->pdata[i];
      g_autofree char *value = price_text (clause);
      g_autofree char *from = format_date (clause->starts_on);
      g_autofree char *to = format_date (clause->ends_on);
      g_autofree char *cycle = g_strdup_printf (ngettext ("billed every %d month",
                                                          "billed every %d months",
                                                          clause->cycle_months),
                                                clause->cycle_months);
      g_autofree char *subtitle = NULL;

      GtkWidget *row;

      if (g_strcmp0 (clause->basis, "one_off") == 0)
        /* TRANSLATORS: price, then the date it is due */
        subtitle = g_strdup_printf (_("%s\n%s"), value, from);
      else
        /* TRANSLATORS: price, then billing cycle · dates of the clause */
        subtitle = g_strdup_printf (_("%s\n%s · %s to %s"), value, cycle, from, to);
      if (clause->escalates)
        {
          g_autofree char *with = g_strdup_printf (
            "%s\n%s", subtitle, _("Contract base price: escalations are not applied here"));
          g_free (subtitle);
          subtitle = g_steal_pointer (&with);
        }
      row = add_row (self, self->charges_group, clause->charge_name, subtitle, NULL);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->charges_group), detail->clauses->len > 0);
}

/* "Vacancy loss to date" from the KPI engine's per-unit figure (NULL: no database). */
static void
add_vacancy_loss (TenureUnitPanel            *self,
                  const TenureKpiUnitVacancy *vacancy,
                  const GError               *error)
{
  g_autofree char *value = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row;

  if (vacancy == NULL || error != NULL)
    {
      value = g_strdup (_("Not available"));
      if (error != NULL)
        subtitle = g_strdup (error->message);
    }
  else if (!vacancy->for_lease)
    value = g_strdup (_("Not for lease"));
  else if (!vacancy->vacant)
    value = g_strdup (_("Not vacant"));
  else if (vacancy->asking_price_e4 < 0)
    value = g_strdup (_("No asking price"));
  else
    value = tenure_money_format (tenure_money_new (vacancy->vacancy_loss,
                                                   tenure_currency_lookup ("CNY")),
                                 TENURE_MONEY_FORMAT_DEFAULT);
  if (subtitle == NULL && vacancy != NULL && vacancy->vacant && vacancy->for_lease
      && tenure_date_is_valid (vacancy->vacant_since))
    {
      g_autofree char *since = tenure_date_format_iso (vacancy->vacant_since);

      if (vacancy->ever_leased)
        /* TRANSLATORS: the first day of the current vacancy */
        subtitle = g_strdup_printf (_("Since %s, the day after the last lease ended"), since);
      else
        /* TRANSLATORS: the day the unit was created */
        subtitle = g_strdup_printf (_("Since %s, when the unit was created"), since);
    }
  row = add_row (self, self->main_group, _("Vacancy loss to date"), subtitle, value);
  gtk_widget_set_name (row, "unit-vacancy-loss");
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
}

static void
show_vacant (TenureUnitPanel  *self,
             TenureUnitDetail *detail)
{
  TenureUnitInfo *unit = detail->unit;
  g_autofree char *days = NULL;
  g_autofree char *asking = NULL;
  g_autoptr(GError) error = NULL;
  TenureKpiUnitVacancy vacancy = { 0 };

  add_row (self, self->main_group, _("Vacancy reason"), NULL,
           unit->vacancy_reason ? unit->vacancy_reason : _("Not recorded"));
  if (detail->days_vacant >= 0)
    days = g_strdup_printf (ngettext ("%d day", "%d days", detail->days_vacant),
                            detail->days_vacant);
  else
    days = g_strdup (_("No lease on record"));
  add_row (self, self->main_group, _("Days vacant"), NULL, days);
  if (self->db != NULL
      && !tenure_kpi_unit_vacancy_loss (self->db, unit->id, detail->as_of, &vacancy, &error))
    g_debug ("vacancy loss of unit %s: %s", unit->code, error->message);
  if (unit->asking_price_e4 >= 0)
    {
      g_autofree char *price = tenure_portfolio_format_price_e4 (unit->asking_price_e4);
      asking = g_strdup_printf (error == NULL && vacancy.asking_per_day
                                ? _("%s yuan per m² per day") : _("%s yuan per m² per month"),
                                price);
    }
  add_row (self, self->main_group, _("Asking rent"), NULL, asking ? asking : _("Not set"));
  add_vacancy_loss (self, self->db != NULL ? &vacancy : NULL, error);
  gtk_widget_set_visible (GTK_WIDGET (self->charges_group), FALSE);
}

static void add_follow_up (TenureUnitPanel  *self,
                           TenureUnitDetail *detail);

void
tenure_unit_panel_set_detail (TenureUnitPanel  *self,
                              TenureUnitDetail *detail)
{
  TenureUnitInfo *unit;
  g_autofree char *place = NULL;
  g_autofree char *area = NULL;
  g_autofree char *gfa = NULL;
  g_autofree char *area_text = NULL;
  g_autofree char *gfa_text = NULL;

  g_return_if_fail (TENURE_IS_UNIT_PANEL (self));

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = self->rows->pdata[i];
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (
        gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)), row);
    }
  g_ptr_array_set_size (self->rows, 0);

  if (detail == NULL)
    {
      self->unit_id = 0;
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  unit = detail->unit;
  self->unit_id = unit->id;
  self->as_of = detail->as_of;
  gtk_widget_set_visible (self->history_button, self->db != NULL);
  gtk_label_set_text (self->title_label, unit->code);
  /* TRANSLATORS: project · building · floor */
  place = g_strdup_printf (_("%s · %s · %s"), detail->project_name, detail->building_name,
                           detail->floor_name);
  gtk_label_set_text (self->place_label, place);
  gtk_label_set_text (self->status_label, tenure_unit_status_label (unit->status));
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), status_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), status_classes[unit->status]);

  area = tenure_portfolio_format_area_c (unit->leasable_area_c);
  gfa = tenure_portfolio_format_area_c (unit->gfa_area_c);
  area_text = g_strdup_printf (_("%s m²"), area);
  gfa_text = g_strdup_printf (_("%s m²"), gfa);
  add_row (self, self->main_group, _("Leasable area"), NULL, area_text);
  add_row (self, self->main_group, _("Gross floor area"), NULL, gfa_text);

  if (unit->contract_id != 0)
    show_leased (self, detail);
  else
    show_vacant (self, detail);

  for (guint i = 0; i < detail->notes->len; i++)
    {
      const TenureUnitNoteInfo *note = detail->notes->pdata[i];
      g_autofree char *date = format_date (note->noted_on);
      /* TRANSLATORS: date · author of a follow-up note */
      g_autofree char *title = g_strdup_printf (_("%s · %s"), date, note->author);
      GtkWidget *row = add_row (self, self->notes_group, title, note->body, NULL);

      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->notes_group), detail->notes->len > 0);
  if (self->db != NULL && unit->contract_id == 0)
    add_follow_up (self, detail);
  gtk_stack_set_visible_child_name (self->stack, "unit");
}

/* Shows the unit again from the database after an edit; MESSAGE, when set, goes on top. */
static void
reload (TenureUnitPanel *self,
        const GError    *failure)
{
  g_autoptr(TenureUnitDetail) detail = NULL;
  g_autoptr(GError) error = NULL;

  detail = tenure_portfolio_get_unit_detail (self->db, self->unit_id, self->as_of, &error);
  tenure_unit_panel_set_detail (self, detail);
  if (failure == NULL && error != NULL)
    failure = error;
  if (failure != NULL && detail != NULL)
    {
      GtkWidget *row = add_row (self, self->notes_group, _("Not saved"), failure->message,
                                NULL);

      gtk_widget_set_name (row, "unit-edit-error");
      gtk_widget_add_css_class (row, "error");
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
}

static void
reason_applied_cb (AdwEntryRow     *row,
                   TenureUnitPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  tenure_portfolio_set_vacancy_reason (self->db, self->unit_id, text, &error);
  reload (self, error);
}

static void
note_applied_cb (AdwEntryRow     *row,
                 TenureUnitPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  TenureDate today = tenure_date_from_ymd (g_date_time_get_year (now),
                                           g_date_time_get_month (now),
                                           g_date_time_get_day_of_month (now));

  tenure_portfolio_add_unit_note (self->db, self->unit_id, today, text, &error);
  reload (self, error);
}

/* For a vacant unit with a database to write to: edit the vacancy reason, add a note, and
 * the history of the reason (who, when, old, new) from the audit log. */
static void
add_follow_up (TenureUnitPanel  *self,
               TenureUnitDetail *detail)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  GtkWidget *reason = adw_entry_row_new ();
  GtkWidget *note = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (reason), _("Change vacancy reason"));
  gtk_editable_set_text (GTK_EDITABLE (reason),
                         detail->unit->vacancy_reason ? detail->unit->vacancy_reason : "");
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (reason), TRUE);
  gtk_widget_set_name (reason, "unit-reason-entry");
  g_signal_connect (reason, "apply", G_CALLBACK (reason_applied_cb), self);
  adw_preferences_group_add (self->notes_group, reason);
  g_ptr_array_add (self->rows, reason);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (note), _("Add a follow-up note"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (note), TRUE);
  gtk_widget_set_name (note, "unit-note-entry");
  g_signal_connect (note, "apply", G_CALLBACK (note_applied_cb), self);
  adw_preferences_group_add (self->notes_group, note);
  g_ptr_array_add (self->rows, note);

  history = tenure_portfolio_list_vacancy_reason_history (self->db, self->unit_id, &error);
  if (history == NULL)
    add_row (self, self->notes_group, _("Vacancy reason history"), error->message, NULL);
  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      const TenureFieldChange *change = history->pdata[i];
      /* TRANSLATORS: when · who changed the vacancy reason */
      g_autofree char *title = g_strdup_printf (_("%s · %s"), change->at, change->actor);
      /* TRANSLATORS: vacancy reason history: old value → new value */
      g_autofree char *subtitle = g_strdup_printf (_("Vacancy reason: %s → %s"),
                                                   change->old_value ? change->old_value
                                                                     : _("(none)"),
                                                   change->new_value ? change->new_value
                                                                     : _("(none)"));
      GtkWidget *row = add_row (self, self->notes_group, title, subtitle, NULL);

      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->notes_group), TRUE);
}

void
tenure_unit_panel_set_db (TenureUnitPanel *self,
                          TenureDb        *db)
{
  g_return_if_fail (TENURE_IS_UNIT_PANEL (self));
  g_return_if_fail (db == NULL || TENURE_IS_DB (db));

  g_set_object (&self->db, db);
  gtk_widget_set_visible (self->history_button, self->db != NULL && self->unit_id != 0);
}

GtkWidget *
tenure_unit_panel_new (void)
{
  return g_object_new (TENURE_TYPE_UNIT_PANEL, NULL);
}

static void
tenure_unit_panel_dispose (GObject *object)
{
  TenureUnitPanel *self = TENURE_UNIT_PANEL (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), TENURE_TYPE_UNIT_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (tenure_unit_panel_parent_class)->dispose (object);
}

static void
tenure_unit_panel_class_init (TenureUnitPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tenure_unit_panel_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/tenure/Tenure/tenure-unit-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, TenureUnitPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, TenureUnitPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, TenureUnitPanel, place_label);
  gtk_widget_class_bind_template_child (widget_class, TenureUnitPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, TenureUnitPanel, main_group);
  gtk_widget_class_bind_template_child (widget_class, TenureUnitPanel, charges_group);
  gtk_widget_class_bind_template_child (widget_class, TenureUnitPanel, notes_group);
}

/* Every change of the unit's ledger record (areas, status, asking rent, …) from the audit log. */
static void
history_clicked_cb (GtkButton       *button,
                    TenureUnitPanel *self)
{
  g_autoptr(GError) error = NULL;
  TenureHistoryView *view;

  if (self->db == NULL || self->unit_id == 0)
    return;
  view = tenure_history_view_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                  self->db, TENURE_LEDGER_UNIT, self->unit_id,
                                  gtk_label_get_text (self->title_label), &error);
  if (view != NULL)
    gtk_window_present (GTK_WINDOW (view));
  else
    gtk_label_set_text (self->place_label, error->message);
}

static void
tenure_unit_panel_init (TenureUnitPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->history_button = gtk_button_new_with_mnemonic (_("_History…"));
  gtk_widget_set_name (self->history_button, "unit-history-button");
  gtk_widget_set_tooltip_text (self->history_button,
                               _("Every change of this unit: who, when, old and new values"));
  gtk_widget_set_halign (self->history_button, GTK_ALIGN_START);
  gtk_widget_set_visible (self->history_button, FALSE);
  g_signal_connect (self->history_button, "clicked", G_CALLBACK (history_clicked_cb), self);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->place_label))),
                              self->history_button, GTK_WIDGET (self->place_label));
  /* The rows are owned by their groups; this only remembers them. */
  self->rows = g_ptr_array_new ();
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
