/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-dashboard-list"

#include "tenure-dashboard-list.h"

#include <glib/gi18n.h>

#include "analytics/tenure-kpi.h"

/* One row: its texts and its value (adjustment rows have no item behind them). */
#define TENURE_TYPE_DASHBOARD_ROW (tenure_dashboard_row_get_type ())
G_DECLARE_FINAL_TYPE (TenureDashboardRow, tenure_dashboard_row, TENURE, DASHBOARD_ROW, GObject)

struct _TenureDashboardRow
{
  GObject   parent_instance;
  GStrv     cells;
  gint64    value;
  gboolean  adjustment;
};

G_DEFINE_FINAL_TYPE (TenureDashboardRow, tenure_dashboard_row, G_TYPE_OBJECT)

static void
tenure_dashboard_row_finalize (GObject *object)
{
  g_strfreev (TENURE_DASHBOARD_ROW (object)->cells);
  G_OBJECT_CLASS (tenure_dashboard_row_parent_class)->finalize (object);
}

static void
tenure_dashboard_row_class_init (TenureDashboardRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tenure_dashboard_row_finalize;
}

static void
tenure_dashboard_row_init (TenureDashboardRow *self)
{
}

struct _TenureDashboardList
{
  AdwWindow        parent_instance;

  AdwWindowTitle  *title;
  GtkColumnView   *view;
  GtkLabel        *total_label;
  GListStore      *rows;
  guint            n_columns;   /* text columns */
  TenureChartUnit  unit;
  gint64           total;
  guint            n_items;
};

G_DEFINE_FINAL_TYPE (TenureDashboardList, tenure_dashboard_list, ADW_TYPE_WINDOW)

static void
tenure_dashboard_list_dispose (GObject *object)
{
  TenureDashboardList *self = TENURE_DASHBOARD_LIST (object);

  g_clear_object (&self->rows);
  G_OBJECT_CLASS (tenure_dashboard_list_parent_class)->dispose (object);
}

static void
tenure_dashboard_list_class_init (TenureDashboardListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tenure_dashboard_list_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tenure_dashboard_list_init (TenureDashboardList *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->rows = g_list_store_new (TENURE_TYPE_DASHBOARD_ROW);
  self->title = ADW_WINDOW_TITLE (adw_window_title_new ("", ""));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (box), header);

  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_show_column_separators (self->view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->view));
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);

  self->total_label = GTK_LABEL (gtk_label_new (""));
  gtk_widget_set_name (GTK_WIDGET (self->total_label), "dashboard-list-total");
  gtk_label_set_xalign (self->total_label, 1.0f);
  gtk_label_set_wrap (self->total_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->total_label), "heading");
  gtk_widget_add_css_class (GTK_WIDGET (self->total_label), "numeric");
  gtk_widget_set_margin_start (GTK_WIDGET (self->total_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->total_label), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->total_label), 8);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->total_label), 8);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->total_label));

  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_default_size (GTK_WINDOW (self), 820, 560);
}

/* Cells --------------------------------------------------------------------------------- */

static char *
row_cell_text (TenureDashboardList *self,
               TenureDashboardRow  *row,
               guint                column)
{
  if (column < self->n_columns)
    return g_strdup (row->cells && column < g_strv_length (row->cells)
                     ? row->cells[column] : "");
  return tenure_chart_format_value (self->unit, row->value, 0);
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  TenureDashboardList *self = g_object_get_data (G_OBJECT (factory), "list");
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column >= self->n_columns)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
      gtk_widget_add_css_class (label, "numeric");
    }
  else
    gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  TenureDashboardList *self = g_object_get_data (G_OBJECT (factory), "list");
  TenureDashboardRow *row = gtk_list_item_get_item (item);
  g_autofree char *text = row_cell_text (self, row, column);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, text);
  if (row->adjustment)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  TenureDashboardRow *ra = (TenureDashboardRow *) a;
  TenureDashboardRow *rb = (TenureDashboardRow *) b;
  /* Adjustment rows stay last whatever the order. */
  if (ra->adjustment != rb->adjustment)
    return ra->adjustment ? GTK_ORDERING_LARGER : GTK_ORDERING_SMALLER;
  if (column == G_MAXUINT)
    return ra->value < rb->value ? GTK_ORDERING_SMALLER
           : ra->value > rb->value ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
  {
    const char *ta = ra->cells && column < g_strv_length (ra->cells) ? ra->cells[column] : "";
    const char *tb = rb->cells && column < g_strv_length (rb->cells) ? rb->cells[column] : "";
    int c = g_utf8_collate (ta, tb);

    return c < 0 ? GTK_ORDERING_SMALLER : c > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
  }
}

static void
add_column (TenureDashboardList *self,
            const char          *title,
            guint                column,
            gboolean             is_value)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;
  GtkSorter *sorter;

  g_object_set_data (G_OBJECT (factory), "list", self);
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GUINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows,
                                              GUINT_TO_POINTER (is_value ? G_MAXUINT : column),
                                              NULL));
  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_expand (view_column, !is_value);
  gtk_column_view_append_column (self->view, view_column);
  g_object_unref (sorter);
  g_object_unref (view_column);
}

static void
update_total (TenureDashboardList *self)
{
  g_autofree char *total = tenure_chart_format_value (self->unit, self->total, 0);
  g_autofree char *text = NULL;

  /* TRANSLATORS: the footer of a dashboard list: how many rows, then their total */
  text = g_strdup_printf (g_dngettext (NULL, "%u row · total %s", "%u rows · total %s",
                                       self->n_items),
                          self->n_items, total);
  gtk_label_set_text (self->total_label, text);
}

TenureDashboardList *
tenure_dashboard_list_new (GtkWindow          *parent,
                           const char         *title,
                           const char         *subtitle,
                           const char * const *columns,
                           const char         *value_title,
                           TenureChartUnit     unit)
{
  TenureDashboardList *self = g_object_new (TENURE_TYPE_DASHBOARD_LIST,
                                            "title", title, NULL);
  g_autoptr(GtkSortListModel) sorted = NULL;

  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_modal (GTK_WINDOW (self), TRUE);
    }
  adw_window_title_set_title (self->title, title);
  adw_window_title_set_subtitle (self->title, subtitle ? subtitle : "");
  self->unit = unit;
  self->n_columns = columns ? g_strv_length ((GStrv) columns) : 0;
  for (guint i = 0; i < self->n_columns; i++)
    add_column (self, columns[i], i, FALSE);
  add_column (self, value_title, self->n_columns, TRUE);

  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                    g_object_ref (gtk_column_view_get_sorter (self->view)));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (
    gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&sorted)))));
  update_total (self);
  return self;
}

void
tenure_dashboard_list_add_row (TenureDashboardList *self,
                               const char * const  *cells,
                               gint64               value)
{
  g_autoptr(TenureDashboardRow) row = g_object_new (TENURE_TYPE_DASHBOARD_ROW, NULL);

  g_return_if_fail (TENURE_IS_DASHBOARD_LIST (self));

  row->cells = g_strdupv ((GStrv) cells);
  row->value = value;
  g_list_store_append (self->rows, row);
  self->total += value;
  self->n_items++;
  update_total (self);
}

void
tenure_dashboard_list_add_adjustment (TenureDashboardList *self,
                                      const char          *label,
                                      gint64               value)
{
  g_autoptr(TenureDashboardRow) row = g_object_new (TENURE_TYPE_DASHBOARD_ROW, NULL);
  const char *cells[] = { label, NULL };

  g_return_if_fail (TENURE_IS_DASHBOARD_LIST (self));

  row->cells = g_strdupv ((GStrv) cells);
  row->value = value;
  row->adjustment = TRUE;
  g_list_store_append (self->rows, row);
  self->total += value;
  update_total (self);
}

gint64
tenure_dashboard_list_get_total (TenureDashboardList *self)
{
  g_return_val_if_fail (TENURE_IS_DASHBOARD_LIST (self), 0);
  return self->total;
}

guint
tenure_dashboard_list_get_n_rows (TenureDashboardList *self)
{
  g_return_val_if_fail (TENURE_IS_DASHBOARD_LIST (self), 0);
  return self->n_items;
}

char *
tenure_dashboard_list_get_cell (TenureDashboardList *self,
                                guint                row,
                                guint                column)
{
  g_autoptr(TenureDashboardRow) item = NULL;

  g_return_val_if_fail (TENURE_IS_DASHBOARD_LIST (self), NULL);
  item = g_list_model_get_item (G_LIST_MODEL (self->rows), row);
  if (item == NULL)
    return NULL;
  return row_cell_text (self, item, column);
}

GtkLabel *
tenure_dashboard_list_get_total_label (TenureDashboardList *self)
{
  g_return_val_if_fail (TENURE_IS_DASHBOARD_LIST (self), NULL);
  return self->total_label;
}

char *
tenure_dashboard_format_ratio (gint64 num,
                               gint64 den)
{
  if (den <= 0)
    return g_strdup ("—");
  /* Tenths of a percent are num / den × 1000: the engine's ppm of num over den × 1000. */
  return tenure_chart_format_value (TENURE_CHART_UNIT_RATIO_PPM,
                                    tenure_kpi_ppm (num, den * 1000) * 1000, 1000);
}
