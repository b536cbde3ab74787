/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-history-view"

#include "tenure-history-view.h"

#include <glib/gi18n.h>

#include "portfolio/tenure-asset-history.h"

/* Enough for any one object; a whole project's history shows its newest changes. */
#define HISTORY_LIMIT 2000

struct _TenureHistoryView
{
  AdwWindow         parent_instance;

  TenureDb         *db;
  TenureLedgerKind  kind;
  gint64            id;
  gboolean          include_children;

  GtkStack         *stack;
  GtkListBox       *list;
  GtkLabel         *count_label;
  guint             n_entries;
};

G_DEFINE_FINAL_TYPE (TenureHistoryView, tenure_history_view, ADW_TYPE_WINDOW)

/* The log's UTC time as local "2026-05-01 14:03:22". */
static char *
format_at (const char *at)
{
  g_autoptr(GDateTime) utc = at != NULL ? g_date_time_new_from_iso8601 (at, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (at != NULL ? at : "");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static GtkWidget *
make_label (const char *text,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
make_entry_row (const TenureAssetHistoryEntry *entry)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *row = gtk_list_box_row_new ();
  g_autofree char *when = format_at (entry->at);
  g_autofree char *heading = NULL;
  g_autofree char *meta = NULL;

  /* TRANSLATORS: "Unit SH-XH01-A-1F-01 · Changed" */
  heading = g_strdup_printf (_("%s %s · %s"), tenure_ledger_kind_label (entry->kind),
                             entry->code != NULL ? entry->code : "",
                             tenure_asset_history_action_label (entry->action));
  /* TRANSLATORS: when · who */
  meta = g_strdup_printf (_("%s · %s"), when, entry->actor != NULL ? entry->actor : "");
  gtk_box_append (GTK_BOX (box), make_label (heading, "heading"));
  gtk_box_append (GTK_BOX (box), make_label (meta, "dim-label"));
  for (guint i = 0; i < entry->changes->len; i++)
    {
      const TenureAssetFieldChange *change = g_ptr_array_index (entry->changes, i);
      g_autofree char *line = NULL;

      if (g_strcmp0 (entry->action, "insert") == 0)
        /* TRANSLATORS: field: value, for a newly created object */
        line = g_strdup_printf (_("%s: %s"), change->label,
                                change->new_value != NULL ? change->new_value : "—");
      else
        /* TRANSLATORS: field: old value → new value */
        line = g_strdup_printf (_("%s: %s → %s"), change->label,
                                change->old_value != NULL ? change->old_value : "—",
                                change->new_value != NULL ? change->new_value : "—");
      gtk_box_append (GTK_BOX (box), make_label (line, NULL));
    }
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static gboolean
reload (TenureHistoryView  *self,
        GError            **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  GtkWidget *child;
  g_autofree char *count = NULL;

  entries = tenure_asset_history_list (self->db, self->kind, self->id, self->include_children,
                                       HISTORY_LIMIT, error);
  if (entries == NULL)
    return FALSE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (self->list, make_entry_row (g_ptr_array_index (entries, i)));
  self->n_entries = entries->len;
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes",
                                        entries->len), entries->len);
  gtk_label_set_text (self->count_label, count);
  gtk_stack_set_visible_child_name (self->stack, entries->len > 0 ? "list" : "empty");
  return TRUE;
}

static void
children_toggled_cb (GtkCheckButton    *button,
                     TenureHistoryView *self)
{
  g_autoptr(GError) error = NULL;

  if (!tenure_history_view_set_include_children (self, gtk_check_button_get_active (button),
                                                 &error))
    gtk_label_set_text (self->count_label, error->message);
}

static void
build (TenureHistoryView *self,
       const char        *title)
{
  GtkWidget *box, *header, *bar, *scrolled, *empty, *check;
  g_autofree char *window_title = NULL;

  /* TRANSLATORS: window title, "History of SH-XH01-A-1F-01" */
  window_title = g_strdup_printf (_("History of %s"), title != NULL ? title : "");
  gtk_window_set_title (GTK_WINDOW (self), window_title);
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 640);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  self->count_label = GTK_LABEL (make_label (NULL, "dim-label"));
  gtk_widget_set_hexpand (GTK_WIDGET (self->count_label), TRUE);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->count_label));
  if (self->kind != TENURE_LEDGER_UNIT)
    {
      check = gtk_check_button_new_with_mnemonic (self->kind == TENURE_LEDGER_FLOOR
                                                  ? _("Include its _units")
                                                  : _("Include everything _under it"));
      gtk_widget_set_name (check, "include-children");
      g_signal_connect (check, "toggled", G_CALLBACK (children_toggled_cb), self);
      gtk_box_append (GTK_BOX (bar), check);
    }
  gtk_box_append (GTK_BOX (box), bar);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->list), "history-list");
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_margin_start (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->list), 12);
  gtk_widget_set_valign (GTK_WIDGET (self->list), GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Changes, newest first"), -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list));
  gtk_stack_add_named (self->stack, scrolled, "list");
  empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "document-open-recent-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Changes Recorded"));
  gtk_stack_add_named (self->stack, empty, "empty");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), box);
}

TenureHistoryView *
tenure_history_view_new (GtkWindow         *parent,
                         TenureDb          *db,
                         TenureLedgerKind   kind,
                         gint64             id,
                         const char        *title,
                         GError           **error)
{
  TenureHistoryView *self;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, NULL);

  self = g_object_new (TENURE_TYPE_HISTORY_VIEW, "transient-for", parent, NULL);
  self->db = g_object_ref (db);
  self->kind = kind;
  self->id = id;
  build (self, title);
  if (!reload (self, error))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  return self;
}

guint
tenure_history_view_get_n_entries (TenureHistoryView *self)
{
  g_return_val_if_fail (TENURE_IS_HISTORY_VIEW (self), 0);
  return self->n_entries;
}

gboolean
tenure_history_view_set_include_children (TenureHistoryView  *self,
                                          gboolean            include,
                                          GError            **error)
{
  g_return_val_if_fail (TENURE_IS_HISTORY_VIEW (self), FALSE);
  self->include_children = include;
  return reload (self, error);
}

static void
tenure_history_view_dispose (GObject *object)
{
  TenureHistoryView *self = TENURE_HISTORY_VIEW (object);

  g_clear_object (&self->db);
  G_OBJECT_CLASS (tenure_history_view_parent_class)->dispose (object);
}

static void
tenure_history_view_class_init (TenureHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tenure_history_view_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tenure_history_view_init (TenureHistoryView *self)
{
}
