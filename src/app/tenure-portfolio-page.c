/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-portfolio-page"

#include "tenure-portfolio-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "portfolio/tenure-portfolio.h"

struct _TenurePortfolioPage
{
  GtkWidget           parent_instance;

  GtkStack           *stack;
  GtkLabel           *summary_label;
  GtkColumnView      *column_view;

  GtkSortListModel   *sort_model;
  GtkSingleSelection *selection;
};

G_DEFINE_FINAL_TYPE (TenurePortfolioPage, tenure_portfolio_page, GTK_TYPE_WIDGET)

typedef struct
{
  const char *property;      /* shown */
  const char *sort_property; /* sorted by */
  const char *title;
  gboolean    numeric;
  gboolean    expand;
} Column;

static const Column columns[] = {
  { "code", "code", N_("Code"), FALSE, FALSE },
  { "name", "name", N_("Name"), FALSE, TRUE },
  { "format-label", "format-label", N_("Format"), FALSE, FALSE },
  { "building-count", "building-count", N_("Buildings"), TRUE, FALSE },
  { "floor-count", "floor-count", N_("Floors"), TRUE, FALSE },
  { "unit-count", "unit-count", N_("Units"), TRUE, FALSE },
  { "leasable-area-text", "leasable-area-c", N_("Leasable m²"), TRUE, FALSE },
};

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  const Column *column = user_data;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column->numeric ? 1.0f : 0.0f);
  /* Only the name gives way on a narrow window; codes and figures scroll instead. */
  if (column->expand)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column->numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  const Column *column = user_data;
  GObject *summary = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  GValue value = G_VALUE_INIT;
  g_autofree char *text = NULL;

  g_object_get_property (summary, column->property, &value);
  if (G_VALUE_HOLDS_INT64 (&value))
    text = g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&value));
  else
    text = g_value_dup_string (&value);
  g_value_unset (&value);

  gtk_label_set_text (label, text ? text : "");
}

static void
tenure_portfolio_page_dispose (GObject *object)
{
  TenurePortfolioPage *self = TENURE_PORTFOLIO_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), TENURE_TYPE_PORTFOLIO_PAGE);
  /* A plain GtkWidget owns its template's top child: unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);

  G_OBJECT_CLASS (tenure_portfolio_page_parent_class)->dispose (object);
}

static void
tenure_portfolio_page_class_init (TenurePortfolioPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tenure_portfolio_page_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/tenure/Tenure/tenure-portfolio-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, column_view);

  g_type_ensure (TENURE_TYPE_PROJECT_SUMMARY);
}

static void
tenure_portfolio_page_init (TenurePortfolioPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const Column *column = &columns[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkExpression *expression =
        gtk_property_expression_new (TENURE_TYPE_PROJECT_SUMMARY, NULL, column->sort_property);
      GtkSorter *sorter;
      GtkColumnViewColumn *view_column;

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), (gpointer) column);
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), (gpointer) column);

      if (column->numeric)
        sorter = GTK_SORTER (gtk_numeric_sorter_new (expression));
      else
        sorter = GTK_SORTER (gtk_string_sorter_new (expression));

      view_column = gtk_column_view_column_new (_(column->title), factory);
      gtk_column_view_column_set_sorter (view_column, sorter);
      gtk_column_view_column_set_expand (view_column, column->expand);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      gtk_column_view_append_column (self->column_view, view_column);

      g_object_unref (sorter);
      g_object_unref (view_column);
    }

  self->sort_model = gtk_sort_list_model_new (NULL,
    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

void
tenure_portfolio_page_set_projects (TenurePortfolioPage *self,
                                    GListModel          *projects)
{
  guint n_projects = projects ? g_list_model_get_n_items (projects) : 0;
  gint64 units = 0;
  gint64 area_c = 0;
  g_autofree char *area_text = NULL;
  g_autofree char *projects_text = NULL;
  g_autofree char *units_text = NULL;
  g_autofree char *summary = NULL;

  g_return_if_fail (TENURE_IS_PORTFOLIO_PAGE (self));

  gtk_sort_list_model_set_model (self->sort_model, projects);
  gtk_stack_set_visible_child_name (self->stack, n_projects > 0 ? "projects" : "empty");

  for (guint i = 0; i < n_projects; i++)
    {
      g_autoptr(TenureProjectSummary) project = g_list_model_get_item (projects, i);
      units += tenure_project_summary_get_unit_count (project);
      area_c += tenure_project_summary_get_leasable_area_c (project);
    }
  area_text = tenure_portfolio_format_area_c (area_c);
  projects_text = g_strdup_printf (ngettext ("%u project", "%u projects", n_projects),
                                   n_projects);
  units_text = g_strdup_printf (ngettext ("%u unit", "%u units", (gulong) units),
                                (guint) units);
  /* TRANSLATORS: "3 projects · 240 units · 45,678.90 m² leasable" */
  summary = g_strdup_printf (_("%s · %s · %s m² leasable"), projects_text, units_text,
                             area_text);
  gtk_label_set_text (self->summary_label, summary);
}

void
tenure_portfolio_page_select_project (TenurePortfolioPage *self,
                                      const char          *code)
{
  GListModel *model;
  guint n;

  g_return_if_fail (TENURE_IS_PORTFOLIO_PAGE (self));

  model = G_LIST_MODEL (self->selection);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TenureProjectSummary) project = g_list_model_get_item (model, i);
      if (g_strcmp0 (tenure_project_summary_get_code (project), code) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}
