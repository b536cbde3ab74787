/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-asset-editor"

#include "tenure-asset-editor.h"

#include <glib/gi18n.h>

#include "portfolio/tenure-asset-history.h"
#include "portfolio/tenure-portfolio.h"

struct _TenureAssetEditor
{
  AdwWindow            parent_instance;

  TenureDb            *db;
  TenureLedgerKind     kind;
  gint64               id;
  gint64               parent_id;
  char                *code;         /* of an existing object, for the confirmation */

  const char * const  *keys;
  GPtrArray           *rows;         /* one per key, in order */
  AdwToastOverlay     *toasts;
  GtkWidget           *save_button;
  GtkWidget           *retire_button;
  GtkLabel            *message_label;

  gboolean             valid;
  gboolean             touched;      /* show messages only once the user has typed */
  char                *message;
};

G_DEFINE_FINAL_TYPE (TenureAssetEditor, tenure_asset_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The choice keys a combo row offers: those of the ledger, after "" (the parent's value) for
 * an optional choice without a default (a unit's format). */
static gboolean
choice_has_empty (TenureAssetEditor *self,
                  const char        *key)
{
  return !tenure_asset_ledger_field_required (self->kind, key)
         && tenure_asset_ledger_field_default (self->kind, key) == NULL;
}

static char *
row_text (TenureAssetEditor *self,
          guint              i)
{
  GtkWidget *row = self->rows->pdata[i];
  const char *key = self->keys[i];
  const char * const *choices = tenure_asset_ledger_field_choices (self->kind, key);
  guint selected;

  if (choices == NULL)
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row));
  if (choice_has_empty (self, key))
    {
      if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
        return g_strdup ("");
      selected--;
    }
  if (selected == GTK_INVALID_LIST_POSITION || selected >= g_strv_length ((char **) choices))
    return g_strdup ("");
  return g_strdup (choices[selected]);
}

static GHashTable *
collect_values (TenureAssetEditor *self)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; self->keys[i] != NULL; i++)
    g_hash_table_insert (values, g_strdup (self->keys[i]), row_text (self, i));
  return values;
}

static void
show_message (TenureAssetEditor *self,
              const char        *message,
              const char        *bad_field)
{
  g_free (self->message);
  self->message = g_strdup (message != NULL ? message : "");
  gtk_label_set_text (self->message_label, self->message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label),
                          *self->message != '\0' && self->touched);
  for (guint i = 0; self->keys[i] != NULL; i++)
    {
      GtkWidget *row = self->rows->pdata[i];

      if (self->touched && g_strcmp0 (bad_field, self->keys[i]) == 0)
        gtk_widget_add_css_class (row, "error");
      else
        gtk_widget_remove_css_class (row, "error");
    }
}

static void
validate (TenureAssetEditor *self)
{
  g_autoptr(GHashTable) values = collect_values (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_field = NULL;

  self->valid = tenure_asset_ledger_validate (self->db, self->kind, self->id, self->parent_id,
                                              values, &bad_field, &error);
  gtk_widget_set_sensitive (self->save_button, self->valid);
  show_message (self, error != NULL ? error->message : NULL, bad_field);
}

static void
row_changed_cb (GtkWidget         *row,
                GParamSpec        *pspec,
                TenureAssetEditor *self)
{
  self->touched = TRUE;
  validate (self);
}

static void
entry_changed_cb (GtkEditable       *editable,
                  TenureAssetEditor *self)
{
  row_changed_cb (GTK_WIDGET (editable), NULL, self);
}

gboolean
tenure_asset_editor_save (TenureAssetEditor *self)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_field = NULL;
  gint64 saved_id;

  g_return_val_if_fail (TENURE_IS_ASSET_EDITOR (self), FALSE);

  values = collect_values (self);
  if (self->id == 0)
    saved_id = tenure_asset_ledger_create (self->db, self->kind, self->parent_id, values,
                                           &bad_field, &error);
  else
    saved_id = tenure_asset_ledger_update (self->db, self->kind, self->id, values, &bad_field,
                                           &error) ? self->id : 0;
  if (saved_id == 0)
    {
      self->touched = TRUE;
      self->valid = FALSE;
      gtk_widget_set_sensitive (self->save_button, FALSE);
      show_message (self, error->message, bad_field);
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      return FALSE;
    }
  g_signal_emit (self, signals[SAVED], 0, saved_id);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

gboolean
tenure_asset_editor_retire (TenureAssetEditor *self,
                            TenureDate         date)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TENURE_IS_ASSET_EDITOR (self), FALSE);
  g_return_val_if_fail (self->id != 0, FALSE);

  if (!tenure_asset_ledger_retire (self->db, self->kind, self->id, date, &error))
    {
      self->touched = TRUE;
      show_message (self, error->message, NULL);
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      return FALSE;
    }
  g_signal_emit (self, signals[SAVED], 0, self->id);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
save_clicked_cb (GtkButton         *button,
                 TenureAssetEditor *self)
{
  tenure_asset_editor_save (self);
}

static gboolean
retire_idle_cb (gpointer data)
{
  TenureAssetEditor *self = data;

  tenure_asset_editor_retire (self, tenure_portfolio_get_as_of (self->db));
  return G_SOURCE_REMOVE;
}

static void
retire_response_cb (AdwMessageDialog  *dialog,
                    const char        *response,
                    TenureAssetEditor *self)
{
  /* After the confirmation has gone: retiring closes this window, its transient parent. */
  if (g_strcmp0 (response, "retire") == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT, retire_idle_cb, g_object_ref (self), g_object_unref);
}

static void
retire_clicked_cb (GtkButton         *button,
                   TenureAssetEditor *self)
{
  g_autofree char *date = tenure_date_format_iso (tenure_portfolio_get_as_of (self->db));
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->kind == TENURE_LEDGER_UNIT)
    body = g_strdup_printf (_("The unit %s leaves the ledger on %s: it no longer counts in "
                              "areas, occupancy or vacancy. Its history stays. A unit let "
                              "under an active contract cannot be retired."),
                            self->code, date);
  else
    body = g_strdup_printf (_("Every unit in use under %s leaves the ledger on %s: they no "
                              "longer count in areas, occupancy or vacancy. Their history "
                              "stays. Nothing is retired if one of them is let under an active "
                              "contract."), self->code, date);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Retire?"), body);
  gtk_widget_set_name (dialog, "retire-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "retire", _("_Retire"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "retire",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (retire_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The label of a choice key in a combo row. */
static char *
choice_label (const char *key,
              const char *choice)
{
  return tenure_asset_history_format_value (key, choice);
}

static GtkWidget *
make_row (TenureAssetEditor *self,
          const char        *key,
          const char        *text)
{
  const char * const *choices = tenure_asset_ledger_field_choices (self->kind, key);
  const char *label = tenure_asset_ledger_field_label (key);
  g_autofree char *title = NULL;
  GtkWidget *row;

  /* TRANSLATORS: a required field's title in the asset editor */
  title = tenure_asset_ledger_field_required (self->kind, key)
          ? g_strdup_printf (_("%s *"), label) : g_strdup (label);
  if (choices == NULL)
    {
      row = adw_entry_row_new ();
      gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
      g_signal_connect (row, "changed", G_CALLBACK (entry_changed_cb), self);
    }
  else
    {
      g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
      guint selected = 0;
      guint offset = 0;

      if (choice_has_empty (self, key))
        {
          gtk_string_list_append (list, self->kind == TENURE_LEDGER_UNIT
                                        ? _("Same as the project") : _("Not set"));
          offset = 1;
        }
      if ((text == NULL || *text == '\0'))
        text = tenure_asset_ledger_field_default (self->kind, key);
      for (guint i = 0; choices[i] != NULL; i++)
        {
          g_autofree char *choice = choice_label (key, choices[i]);

          gtk_string_list_append (list, choice);
          if (g_strcmp0 (text, choices[i]) == 0)
            selected = i + offset;
        }
      row = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_signal_connect (row, "notify::selected", G_CALLBACK (row_changed_cb), self);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (row, key);
  return row;
}

static const char *
window_title (TenureLedgerKind kind,
              gboolean         create)
{
  switch (kind)
    {
    case TENURE_LEDGER_PROJECT:
      return create ? _("New Project") : _("Edit Project");
    case TENURE_LEDGER_BUILDING:
      return create ? _("New Building") : _("Edit Building");
    case TENURE_LEDGER_FLOOR:
      return create ? _("New Floor") : _("Edit Floor");
    case TENURE_LEDGER_UNIT:
    case TENURE_LEDGER_N_KINDS:
    default:
      return create ? _("New Unit") : _("Edit Unit");
    }
}

static gboolean
build (TenureAssetEditor  *self,
       GError            **error)
{
  g_autoptr(GHashTable) current = NULL;
  GtkWidget *box, *header, *cancel, *page, *group, *message_group;

  if (self->id != 0)
    {
      current = tenure_asset_ledger_load (self->db, self->kind, self->id, error);
      if (current == NULL)
        return FALSE;
      self->code = g_strdup (g_hash_table_lookup (current, "code"));
    }
  self->keys = tenure_asset_ledger_fields (self->kind);

  gtk_window_set_title (GTK_WINDOW (self), window_title (self->kind, self->id == 0));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 640);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_set_name (self->save_button, "save-button");
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect (self->save_button, "clicked", G_CALLBACK (save_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (box), header);

  page = adw_preferences_page_new ();
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                   tenure_ledger_kind_label (self->kind));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Fields marked * are required. Areas in m² with up "
                                           "to two decimals, like 1,234.56."));
  self->rows = g_ptr_array_new ();
  for (guint i = 0; self->keys[i] != NULL; i++)
    {
      GtkWidget *row = make_row (self, self->keys[i],
                                 current != NULL ? g_hash_table_lookup (current, self->keys[i])
                                                 : NULL);

      g_ptr_array_add (self->rows, row);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  message_group = adw_preferences_group_new ();
  self->message_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->message_label), "validation-message");
  gtk_label_set_wrap (self->message_label, TRUE);
  gtk_label_set_xalign (self->message_label, 0.0f);
  gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->message_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Validation message"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
  gtk_widget_set_margin_start (GTK_WIDGET (self->message_label), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self->message_label), 18);
  gtk_widget_set_margin_top (GTK_WIDGET (self->message_label), 12);
  if (self->id != 0)
    {
      self->retire_button = gtk_button_new_with_mnemonic (_("_Retire…"));
      gtk_widget_set_name (self->retire_button, "retire-button");
      gtk_widget_set_halign (self->retire_button, GTK_ALIGN_START);
      gtk_widget_set_margin_top (self->retire_button, 12);
      gtk_widget_add_css_class (self->retire_button, "destructive-action");
      g_signal_connect (self->retire_button, "clicked", G_CALLBACK (retire_clicked_cb), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (message_group), self->retire_button);
      /* A retired unit cannot be edited; say so at once. */
      if (current != NULL && g_hash_table_lookup (current, "retired_on") != NULL
          && *(const char *) g_hash_table_lookup (current, "retired_on") != '\0')
        {
          self->touched = TRUE;
          gtk_widget_set_sensitive (self->retire_button, FALSE);
        }
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (message_group));

  /* Above the rows, so the message shows however far the form scrolls. */
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->message_label));
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, box);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toasts));

  validate (self);
  return TRUE;
}

TenureAssetEditor *
tenure_asset_editor_new (GtkWindow         *parent,
                         TenureDb          *db,
                         TenureLedgerKind   kind,
                         gint64             id,
                         gint64             parent_id,
                         GError           **error)
{
  TenureAssetEditor *self;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, NULL);

  /* Like any window, owned by GTK until it closes. */
  self = g_object_new (TENURE_TYPE_ASSET_EDITOR, "modal", TRUE, "transient-for", parent,
                       NULL);
  self->db = g_object_ref (db);
  self->kind = kind;
  self->id = id;
  self->parent_id = parent_id;
  if (!build (self, error))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  return self;
}

gboolean
tenure_asset_editor_is_valid (TenureAssetEditor *self)
{
  g_return_val_if_fail (TENURE_IS_ASSET_EDITOR (self), FALSE);
  return self->valid;
}

const char *
tenure_asset_editor_get_message (TenureAssetEditor *self)
{
  g_return_val_if_fail (TENURE_IS_ASSET_EDITOR (self), NULL);
  return self->message != NULL ? self->message : "";
}

static void
tenure_asset_editor_dispose (GObject *object)
{
  TenureAssetEditor *self = TENURE_ASSET_EDITOR (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (tenure_asset_editor_parent_class)->dispose (object);
}

static void
tenure_asset_editor_finalize (GObject *object)
{
  TenureAssetEditor *self = TENURE_ASSET_EDITOR (object);

  g_free (self->code);
  g_free (self->message);
  G_OBJECT_CLASS (tenure_asset_editor_parent_class)->finalize (object);
}

static void
tenure_asset_editor_class_init (TenureAssetEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tenure_asset_editor_dispose;
  object_class->finalize = tenure_asset_editor_finalize;

  /* (id): the object saved or retired. */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tenure_asset_editor_init (TenureAssetEditor *self)
{
}
