/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-edit-history"

#include "tenure-edit-history.h"

typedef struct
{
  char           *label;
  gpointer        data;
  GDestroyNotify  free_data;
} Entry;

struct _TenureEditHistory
{
  GObject              parent_instance;

  TenureEditApplyFunc  apply;
  gpointer             user_data;
  GArray              *entries;     /* Entry: [0, position) done, [position, len) undone */
  guint                position;
  /* The saved position; G_MAXUINT when the saved state was dropped from the stack. */
  guint                saved;
};

G_DEFINE_FINAL_TYPE (TenureEditHistory, tenure_edit_history, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_pointer (&entry->label, g_free);
  if (entry->free_data != NULL && entry->data != NULL)
    entry->free_data (entry->data);
  entry->data = NULL;
}

static void
changed (TenureEditHistory *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

TenureEditHistory *
tenure_edit_history_new (TenureEditApplyFunc apply,
                         gpointer            user_data)
{
  TenureEditHistory *self = g_object_new (TENURE_TYPE_EDIT_HISTORY, NULL);

  self->apply = apply;
  self->user_data = user_data;
  return self;
}

void
tenure_edit_history_push (TenureEditHistory *self,
                          const char        *label,
                          gpointer           data,
                          GDestroyNotify     free_data)
{
  Entry entry = { g_strdup (label), data, free_data };

  g_return_if_fail (TENURE_IS_EDIT_HISTORY (self));

  /* The redo branch goes; if the saved state was on it, it can no longer be reached. */
  if (self->saved != G_MAXUINT && self->saved > self->position)
    self->saved = G_MAXUINT;
  g_array_set_size (self->entries, self->position);
  g_array_append_val (self->entries, entry);
  self->position++;
  changed (self);
}

gboolean
tenure_edit_history_undo (TenureEditHistory *self)
{
  Entry *entry;

  g_return_val_if_fail (TENURE_IS_EDIT_HISTORY (self), FALSE);

  if (self->position == 0)
    return FALSE;
  self->position--;
  entry = &g_array_index (self->entries, Entry, self->position);
  self->apply (entry->data, FALSE, self->user_data);
  changed (self);
  return TRUE;
}

gboolean
tenure_edit_history_redo (TenureEditHistory *self)
{
  Entry *entry;

  g_return_val_if_fail (TENURE_IS_EDIT_HISTORY (self), FALSE);

  if (self->position >= self->entries->len)
    return FALSE;
  entry = &g_array_index (self->entries, Entry, self->position);
  self->position++;
  self->apply (entry->data, TRUE, self->user_data);
  changed (self);
  return TRUE;
}

gboolean
tenure_edit_history_can_undo (TenureEditHistory *self)
{
  g_return_val_if_fail (TENURE_IS_EDIT_HISTORY (self), FALSE);
  return self->position > 0;
}

gboolean
tenure_edit_history_can_redo (TenureEditHistory *self)
{
  g_return_val_if_fail (TENURE_IS_EDIT_HISTORY (self), FALSE);
  return self->position < self->entries->len;
}

const char *
tenure_edit_history_get_undo_label (TenureEditHistory *self)
{
  g_return_val_if_fail (TENURE_IS_EDIT_HISTORY (self), NULL);
  if (self->position == 0)
    return NULL;
  return g_array_index (self->entries, Entry, self->position - 1).label;
}

const char *
tenure_edit_history_get_redo_label (TenureEditHistory *self)
{
  g_return_val_if_fail (TENURE_IS_EDIT_HISTORY (self), NULL);
  if (self->position >= self->entries->len)
    return NULL;
  return g_array_index (self->entries, Entry, self->position).label;
}

guint
tenure_edit_history_get_position (TenureEditHistory *self)
{
  g_return_val_if_fail (TENURE_IS_EDIT_HISTORY (self), 0);
  return self->position;
}

void
tenure_edit_history_mark_saved (TenureEditHistory *self)
{
  g_return_if_fail (TENURE_IS_EDIT_HISTORY (self));
  self->saved = self->position;
  changed (self);
}

gboolean
tenure_edit_history_is_dirty (TenureEditHistory *self)
{
  g_return_val_if_fail (TENURE_IS_EDIT_HISTORY (self), FALSE);
  return self->saved != self->position;
}

void
tenure_edit_history_clear (TenureEditHistory *self)
{
  g_return_if_fail (TENURE_IS_EDIT_HISTORY (self));
  g_array_set_size (self->entries, 0);
  self->position = 0;
  self->saved = 0;
  changed (self);
}

static void
tenure_edit_history_finalize (GObject *object)
{
  TenureEditHistory *self = TENURE_EDIT_HISTORY (object);

  g_clear_pointer (&self->entries, g_array_unref);
  G_OBJECT_CLASS (tenure_edit_history_parent_class)->finalize (object);
}

static void
tenure_edit_history_class_init (TenureEditHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tenure_edit_history_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tenure_edit_history_init (TenureEditHistory *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
}
