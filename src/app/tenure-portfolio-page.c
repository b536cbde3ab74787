/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-portfolio-page"

#include "tenure-portfolio-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "analytics/tenure-kpi.h"
#include "base/tenure-error.h"
#include "portfolio/tenure-portfolio.h"
#include "tenure-asset-editor.h"
#include "tenure-asset-import-dialog.h"
#include "tenure-db-worker.h"
#include "tenure-expiry-strip.h"
#include "tenure-floor-plan.h"
#include "tenure-floor-plan-editor.h"
#include "tenure-history-view.h"
#include "tenure-stacking-plan.h"
#include "tenure-unit-panel.h"
#include "tenure-window.h"

#define SEARCH_LIMIT 200

struct _TenurePortfolioPage
{
  GtkWidget           parent_instance;

  GtkStack           *stack;
  GtkLabel           *summary_label;
  GtkColumnView      *column_view;
  GtkSearchEntry     *search_entry;
  GtkStack           *nav_stack;
  GtkListView        *tree_view;
  GtkListView        *results_view;
  GtkLabel           *no_results_label;
  GtkSearchEntry     *unit_filter_entry;
  GtkListView        *unit_list_view;
  GtkLabel           *error_label;
  GtkStack           *content_stack;
  GtkLabel           *floor_title;
  GtkLabel           *floor_subtitle;
  GtkDropDown        *mode_dropdown;
  TenureFloorPlan    *floor_plan;
  TenureFloorPlanEditor *layout_editor;
  GtkToggleButton    *edit_layout_button;
  GtkStack           *plan_stack;
  GtkWidget          *zoom_box;
  TenureStackingPlan *stacking_plan;
  TenureExpiryStrip  *expiry_strip;
  GtkLabel           *legend_title;
  GtkFlowBox         *legend_box;
  TenureUnitPanel    *unit_panel;
  GtkSpinner         *load_spinner;
  GtkLabel           *load_label;

  GtkSortListModel   *sort_model;
  GtkSingleSelection *selection;

  TenureDb           *db;
  TenureDate          as_of;
  GListModel         *tree;            /* TenureAssetNode roots */
  GtkSingleSelection *tree_selection;  /* over a GtkTreeListModel */
  GtkSingleSelection *results_selection;
  GListStore         *units;           /* TenureUnitInfo of the open floor */
  GtkCustomFilter    *unit_filter;
  GtkSingleSelection *unit_selection;
  gint64              floor_id;
  gint64              building_id;     /* the building whose stacking plan shows, or 0 */
  gboolean            syncing;         /* list ↔ map selection updates in progress */

  /* Loading off the main thread, on the worker's own connection (NULL: on self->db). */
  char               *location;
  TenureDbWorker     *worker;
  gboolean            loading;
  gboolean            sync_load;       /* a public open_…: load on the main thread */
  gboolean            restoring;       /* putting the tree selection back after a cancel */
  char               *prev_content;    /* the content page the load replaced */
  TenureAssetNode    *shown_node;      /* whose content shows (NULL: none) */
  TenureAssetNode    *prev_node;       /* shown_node when the load began */
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
show_error (TenurePortfolioPage *self,
            const GError        *error)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error != NULL)
    gtk_label_set_text (self->error_label, error->message);
}

/* ---- Navigation tree ------------------------------------------------------------------ */

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  TenureAssetNode *node = item;

  if (node->children == NULL)
    return NULL;
  return g_object_ref (G_LIST_MODEL (node->children));
}

static void
tree_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
  gtk_list_item_set_child (item, expander);
}

static void
tree_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (item));
  TenureAssetNode *node = gtk_tree_list_row_get_item (row);
  GtkWidget *label = gtk_tree_expander_get_child (expander);

  gtk_tree_expander_set_list_row (expander, row);
  gtk_label_set_text (GTK_LABEL (label), node->name);
  gtk_widget_set_tooltip_text (label, node->code);
  g_object_unref (node);
}

/* The chain of nodes from a root down to the node of KIND with ID, into PATH; FALSE when
 * absent. */
static gboolean
find_node_path (GListModel      *model,
                TenureAssetKind  kind,
                gint64           id,
                GPtrArray       *path)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TenureAssetNode) node = g_list_model_get_item (model, i);

      g_ptr_array_add (path, node);
      if (node->kind == kind && node->id == id)
        return TRUE;
      if (node->children != NULL && find_node_path (G_LIST_MODEL (node->children), kind, id,
                                                    path))
        return TRUE;
      g_ptr_array_remove_index (path, path->len - 1);
    }
  return FALSE;
}

static void cancel_load (TenurePortfolioPage *self,
                         gboolean             restore);
static void load_floor (TenurePortfolioPage *self,
                        TenureAssetNode     *floor,
                        const char          *place);
static void load_building (TenurePortfolioPage *self,
                           TenureAssetNode     *building,
                           const char          *project_code,
                           const char          *place);

/* Expands the tree down to the node of KIND with ID and selects it, which loads it. */
static gboolean
select_node_in_tree (TenurePortfolioPage *self,
                     TenureAssetKind      kind,
                     gint64               id)
{
  g_autoptr(GPtrArray) path = g_ptr_array_new ();
  GListModel *rows;
  guint start = 0;

  if (self->tree == NULL || !find_node_path (self->tree, kind, id, path))
    return FALSE;

  rows = gtk_single_selection_get_model (self->tree_selection);
  for (guint level = 0; level < path->len; level++)
    {
      guint n = g_list_model_get_n_items (rows);
      gboolean found = FALSE;

      for (guint i = start; i < n && !found; i++)
        {
          g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
          g_autoptr(GObject) node = gtk_tree_list_row_get_item (row);

          if (node != path->pdata[level])
            continue;
          found = TRUE;
          if (level + 1 < path->len)
            {
              gtk_tree_list_row_set_expanded (row, TRUE);
              start = i + 1;
            }
          else
            {
              gtk_single_selection_set_selected (self->tree_selection, i);
              gtk_widget_activate_action (GTK_WIDGET (self->tree_view), "list.scroll-to-item",
                                          "u", i);
            }
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static void
tree_selection_changed_cb (GtkSingleSelection  *selection,
                           GParamSpec          *pspec,
                           TenurePortfolioPage *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (selection);
  g_autoptr(TenureAssetNode) node = NULL;

  if (row == NULL || self->restoring)
    return;
  node = gtk_tree_list_row_get_item (row);
  if (node->kind == TENURE_ASSET_FLOOR)
    {
      g_autoptr(GString) place = g_string_new (NULL);
      GtkTreeListRow *parent = gtk_tree_list_row_get_parent (row);

      /* Building and project names above the floor, nearest last. */
      while (parent != NULL)
        {
          g_autoptr(TenureAssetNode) above = gtk_tree_list_row_get_item (parent);
          GtkTreeListRow *next = gtk_tree_list_row_get_parent (parent);

          if (above->kind != TENURE_ASSET_LEGAL_ENTITY)
            {
              g_string_prepend (place, " · ");
              g_string_prepend (place, above->name);
            }
          g_object_unref (parent);
          parent = next;
        }
      g_string_append (place, node->name);
      load_floor (self, node, place->str);
      return;
    }

  if (node->kind == TENURE_ASSET_BUILDING)
    {
      GtkTreeListRow *parent = gtk_tree_list_row_get_parent (row);
      g_autoptr(TenureAssetNode) project = NULL;
      g_autofree char *place = NULL;

      if (parent != NULL)
        {
          project = gtk_tree_list_row_get_item (parent);
          g_object_unref (parent);
        }
      place = project != NULL ? g_strdup_printf ("%s · %s", project->name, node->name)
                              : g_strdup (node->name);
      load_building (self, node, project != NULL ? project->code : NULL, place);
      return;
    }

  /* Above buildings, the project table: the chosen project's row selected. */
  cancel_load (self, FALSE);
  g_set_object (&self->shown_node, node);
  gtk_stack_set_visible_child_name (self->content_stack, "table");
  if (node->kind == TENURE_ASSET_PROJECT)
    tenure_portfolio_page_select_project (self, node->code);
}

/* ---- Search --------------------------------------------------------------------------- */

static void
result_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (item, box);
}

static void
result_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  TenureUnitHit *hit = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  g_autofree char *text = NULL;

  if (hit->contract_code != NULL)
    /* TRANSLATORS: unit code · tenant · contract number */
    text = g_strdup_printf (_("%s · %s · %s"), hit->unit_code, hit->tenant_name,
                            hit->contract_code);
  else
    text = g_strdup (hit->unit_code);
  gtk_label_set_text (GTK_LABEL (title), text);
  gtk_label_set_text (GTK_LABEL (subtitle), hit->place);
  gtk_widget_set_tooltip_text (box, text);
}

static void
search_changed_cb (GtkSearchEntry      *entry,
                   TenurePortfolioPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GListModel) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (stripped[0] == '\0' || self->db == NULL)
    {
      gtk_stack_set_visible_child_name (self->nav_stack, "tree");
      gtk_single_selection_set_model (self->results_selection, NULL);
      return;
    }
  hits = tenure_portfolio_search_units (self->db, stripped, SEARCH_LIMIT, &error);
  show_error (self, error);
  gtk_single_selection_set_model (self->results_selection, hits);
  if (hits != NULL && g_list_model_get_n_items (hits) > 0)
    gtk_stack_set_visible_child_name (self->nav_stack, "results");
  else
    {
      g_autofree char *message =
        g_strdup_printf (_("No unit, tenant or contract matches “%s”."), stripped);
      gtk_label_set_text (self->no_results_label, message);
      gtk_stack_set_visible_child_name (self->nav_stack, "no-results");
    }
}

static void
open_hit (TenurePortfolioPage *self,
          guint                position)
{
  GListModel *model = G_LIST_MODEL (self->results_selection);
  g_autoptr(TenureUnitHit) hit = NULL;

  if (position >= g_list_model_get_n_items (model))
    return;
  hit = g_list_model_get_item (model, position);
  tenure_portfolio_page_open_unit (self, hit->floor_id, hit->unit_id);
}

static void
result_activated_cb (GtkListView         *view,
                     guint                position,
                     TenurePortfolioPage *self)
{
  open_hit (self, position);
}

static void
search_activated_cb (GtkSearchEntry      *entry,
                     TenurePortfolioPage *self)
{
  open_hit (self, 0);
}

static void
search_stopped_cb (GtkSearchEntry      *entry,
                   TenurePortfolioPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->floor_plan));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TenurePortfolioPage *self = TENURE_PORTFOLIO_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/* ---- Units of the floor --------------------------------------------------------------- */

static void
unit_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *code = gtk_label_new (NULL);
  GtkWidget *tenant = gtk_label_new (NULL);

  gtk_widget_add_css_class (code, "numeric");
  gtk_label_set_xalign (GTK_LABEL (tenant), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (tenant), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (tenant, TRUE);
  gtk_widget_add_css_class (tenant, "dim-label");
  gtk_box_append (GTK_BOX (box), code);
  gtk_box_append (GTK_BOX (box), tenant);
  gtk_list_item_set_child (item, box);
}

static void
unit_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  TenureUnitInfo *unit = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *code = gtk_widget_get_first_child (box);
  GtkWidget *tenant = gtk_widget_get_next_sibling (code);
  g_autofree char *area = tenure_portfolio_format_area_c (unit->leasable_area_c);
  g_autofree char *tooltip = NULL;

  gtk_label_set_text (GTK_LABEL (code), unit->name);
  gtk_label_set_text (GTK_LABEL (tenant), unit->tenant_short_name
                                          ? unit->tenant_short_name
                                          : tenure_unit_status_label (unit->status));
  /* TRANSLATORS: unit code · status · area */
  tooltip = g_strdup_printf (_("%s · %s · %s m²"), unit->code,
                             tenure_unit_status_label (unit->status), area);
  gtk_widget_set_tooltip_text (box, tooltip);
}

static gboolean
unit_matches_cb (gpointer item,
                 gpointer user_data)
{
  TenurePortfolioPage *self = user_data;
  TenureUnitInfo *unit = item;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->unit_filter_entry));
  g_autofree char *needle = NULL;
  g_autofree char *haystack = NULL;

  if (text == NULL || text[0] == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  haystack = g_utf8_casefold (unit->code, -1);
  if (strstr (haystack, needle) != NULL)
    return TRUE;
  g_free (haystack);
  haystack = g_utf8_casefold (unit->tenant_name ? unit->tenant_name : "", -1);
  if (strstr (haystack, needle) != NULL)
    return TRUE;
  g_free (haystack);
  haystack = g_utf8_casefold (unit->contract_code ? unit->contract_code : "", -1);
  if (strstr (haystack, needle) != NULL)
    return TRUE;
  g_free (haystack);
  haystack = g_utf8_casefold (tenure_unit_status_label (unit->status), -1);
  return strstr (haystack, needle) != NULL;
}

static void
unit_filter_changed_cb (GtkSearchEntry      *entry,
                        TenurePortfolioPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->unit_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* Selects UNIT in the list (when the filter shows it) without echoing back to the map. */
static void
sync_list_to (TenurePortfolioPage *self,
              TenureUnitInfo      *unit)
{
  GListModel *model = G_LIST_MODEL (self->unit_selection);
  guint n = g_list_model_get_n_items (model);
  guint position = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; unit != NULL && i < n; i++)
    {
      g_autoptr(TenureUnitInfo) item = g_list_model_get_item (model, i);
      if (item->id == unit->id)
        {
          position = i;
          break;
        }
    }
  self->syncing = TRUE;
  gtk_single_selection_set_selected (self->unit_selection, position);
  self->syncing = FALSE;
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->unit_list_view), "list.scroll-to-item", "u",
                                position);
}

static void
unit_list_selection_changed_cb (GtkSingleSelection  *selection,
                                GParamSpec          *pspec,
                                TenurePortfolioPage *self)
{
  TenureUnitInfo *unit = gtk_single_selection_get_selected_item (selection);

  if (self->syncing || unit == NULL)
    return;
  if (self->building_id != 0)
    tenure_stacking_plan_select_unit (self->stacking_plan, unit->id);
  else
    tenure_floor_plan_select_unit (self->floor_plan, unit->id);
}

/* "unit-selected" of the floor plan and of the stacking plan. */
static void
unit_selected_cb (GtkWidget           *plan,
                  TenureUnitInfo      *unit,
                  TenurePortfolioPage *self)
{
  g_autoptr(TenureUnitDetail) detail = NULL;
  g_autoptr(GError) error = NULL;

  if (unit != NULL && self->db != NULL)
    {
      detail = tenure_portfolio_get_unit_detail (self->db, unit->id, self->as_of, &error);
      show_error (self, error);
    }
  tenure_unit_panel_set_detail (self->unit_panel, detail);
  sync_list_to (self, unit);
}

/* ---- Legend --------------------------------------------------------------------------- */

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const GdkRGBA *colour = user_data;

  cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0.25, 0.25, 0.25, 0.9);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

/* The legend of whichever map shows: the floor plan or the stacking plan. */
static void
legend_changed_cb (GtkWidget           *plan,
                   TenurePortfolioPage *self)
{
  gboolean stacking = self->building_id != 0;
  GPtrArray *legend = stacking ? tenure_stacking_plan_get_legend (self->stacking_plan)
                               : tenure_floor_plan_get_legend (self->floor_plan);
  GtkWidget *child;

  if (plan != NULL && (plan == GTK_WIDGET (self->stacking_plan)) != stacking)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->legend_box))) != NULL)
    gtk_flow_box_remove (self->legend_box, child);
  gtk_label_set_text (self->legend_title,
                      stacking ? tenure_stacking_plan_get_legend_title (self->stacking_plan)
                               : tenure_floor_plan_get_legend_title (self->floor_plan));

  for (guint i = 0; i < legend->len; i++)
    {
      const TenureFloorPlanLegendEntry *entry = legend->pdata[i];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *swatch = gtk_drawing_area_new ();
      GtkWidget *label = gtk_label_new (entry->label);
      GtkWidget *count;
      g_autofree char *count_text = g_strdup_printf ("%u", entry->n_units);

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 14);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 14);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                      g_memdup2 (&entry->colour, sizeof (GdkRGBA)), g_free);
      count = gtk_label_new (count_text);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), count);
      gtk_flow_box_append (self->legend_box, box);
    }
}

static void
mode_selected_cb (GtkDropDown         *dropdown,
                  GParamSpec          *pspec,
                  TenurePortfolioPage *self)
{
  guint mode = gtk_drop_down_get_selected (dropdown);

  if (mode < TENURE_FLOOR_PLAN_N_MODES)
    {
      tenure_floor_plan_set_mode (self->floor_plan, mode);
      tenure_stacking_plan_set_mode (self->stacking_plan, mode);
    }
}

/* Shows the units of FLOOR (loaded on whichever connection) as its plan. */
static void
apply_floor (TenurePortfolioPage *self,
             TenureAssetNode     *floor,
             const char          *place,
             GListModel          *units)
{
  guint counts[TENURE_UNIT_N_STATUSES] = { 0 };
  guint n = 0;
  g_autofree char *as_of = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *units_text = NULL;

  self->floor_id = floor->id;
  self->building_id = 0;
  g_set_object (&self->shown_node, floor);
  n = g_list_model_get_n_items (units);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TenureUnitInfo) unit = g_list_model_get_item (units, i);
      counts[unit->status]++;
    }
  g_list_store_remove_all (self->units);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) unit = g_list_model_get_item (units, i);
      g_list_store_append (self->units, unit);
    }
  tenure_floor_plan_set_units (self->floor_plan, units, (double) floor->plan_width,
                               (double) floor->plan_height);
  tenure_unit_panel_set_detail (self->unit_panel, NULL);

  gtk_label_set_text (self->floor_title, place);
  as_of = tenure_date_format_iso (self->as_of);
  units_text = g_strdup_printf (ngettext ("%u unit", "%u units", n), n);
  /* TRANSLATORS: "29 units · 22 leased · 3 expiring · 4 vacant · as of 2026-11-01" */
  subtitle = g_strdup_printf (_("%s · %u leased · %u expiring · %u vacant · as of %s"),
                              units_text, counts[TENURE_UNIT_LEASED],
                              counts[TENURE_UNIT_EXPIRING], counts[TENURE_UNIT_VACANT], as_of);
  gtk_label_set_text (self->floor_subtitle, subtitle);
  gtk_stack_set_visible_child_name (self->plan_stack, "floor");
  gtk_widget_set_visible (self->zoom_box, TRUE);
  tenure_floor_plan_editor_set_floor (self->layout_editor, self->db, floor->id);
  gtk_stack_set_visible_child_name (self->content_stack, "floor");
  legend_changed_cb (NULL, self);
}

static void
month_selected_cb (TenureExpiryStrip   *strip,
                   int                  k,
                   TenurePortfolioPage *self)
{
  tenure_stacking_plan_highlight_month (self->stacking_plan,
                                        k >= 0 ? tenure_expiry_strip_get_month (strip, (guint) k)
                                               : TENURE_DATE_INVALID);
}

/* What a building's view needs: its floors' units and its project's expiry by building. */
typedef struct
{
  TenureBuildingUnits *floors;
  GPtrArray           *expiry;        /* NULL when EXPIRY_ERROR is set */
  GError              *expiry_error;
} BuildingData;

static void
building_data_free (gpointer data)
{
  BuildingData *building = data;

  g_clear_pointer (&building->floors, tenure_building_units_free);
  g_clear_pointer (&building->expiry, g_ptr_array_unref);
  g_clear_error (&building->expiry_error);
  g_free (building);
}

static BuildingData *
building_data_load (TenureDb      *db,
                    gint64         building_id,
                    const char    *project_code,
                    TenureDate     as_of,
                    GCancellable  *cancellable,
                    GError       **error)
{
  BuildingData *building = g_new0 (BuildingData, 1);

  building->floors = tenure_portfolio_list_building_units (db, building_id, as_of, cancellable,
                                                           error);
  if (building->floors == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      building_data_free (building);
      return NULL;
    }
  /* Without the strip the plan still helps: its error shows beside it. */
  building->expiry = tenure_kpi_expiry (db, as_of, project_code, TENURE_KPI_BY_BUILDING,
                                        &building->expiry_error);
  return building;
}

/* The building's stacking plan (its floors top first) and the expiry strip of its leases from
 * the KPI engine. */
static void
apply_building (TenurePortfolioPage *self,
                TenureAssetNode     *building,
                const char          *place,
                BuildingData        *data)
{
  TenureBuildingUnits *floors = data->floors;
  guint counts[TENURE_UNIT_N_STATUSES] = { 0 };
  guint n_units = 0;
  guint n_floors = floors->n_floors;
  g_autofree char *as_of = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *units_text = NULL;
  g_autofree char *floors_text = NULL;

  show_error (self, data->expiry_error);
  self->building_id = building->id;
  self->floor_id = 0;
  g_set_object (&self->shown_node, building);
  g_list_store_remove_all (self->units);
  for (guint f = 0; f < n_floors; f++)
    {
      GListModel *units = floors->floor_units[f];
      guint n = g_list_model_get_n_items (units);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TenureUnitInfo) unit = g_list_model_get_item (units, i);
          counts[unit->status]++;
          g_list_store_append (self->units, unit);
        }
      n_units += n;
    }
  tenure_stacking_plan_set_floors (self->stacking_plan, n_floors,
                                   (const char *const *) floors->floor_names,
                                   (GListModel *const *) floors->floor_units);
  tenure_unit_panel_set_detail (self->unit_panel, NULL);

  /* The strip: this building's row of the KPI's expiry by building. */
  tenure_expiry_strip_set_months (self->expiry_strip, 0, NULL, NULL);
  for (guint i = 0; data->expiry != NULL && i < data->expiry->len; i++)
    {
      const TenureKpiExpiry *row = data->expiry->pdata[i];

      if (g_strcmp0 (row->key, building->code) == 0)
        tenure_expiry_strip_set_months (self->expiry_strip, TENURE_KPI_EXPIRY_MONTHS,
                                        row->area_c, row->month);
    }

  gtk_label_set_text (self->floor_title, place);
  as_of = tenure_date_format_iso (self->as_of);
  floors_text = g_strdup_printf (ngettext ("%u floor", "%u floors", n_floors), n_floors);
  units_text = g_strdup_printf (ngettext ("%u unit", "%u units", n_units), n_units);
  /* TRANSLATORS: "12 floors · 290 units · 220 leased · 30 expiring · 40 vacant · as of" */
  subtitle = g_strdup_printf (_("%s · %s · %u leased · %u expiring · %u vacant · as of %s"),
                              floors_text, units_text, counts[TENURE_UNIT_LEASED],
                              counts[TENURE_UNIT_EXPIRING], counts[TENURE_UNIT_VACANT], as_of);
  gtk_label_set_text (self->floor_subtitle, subtitle);
  gtk_stack_set_visible_child_name (self->plan_stack, "building");
  gtk_widget_set_visible (self->zoom_box, FALSE);
  gtk_stack_set_visible_child_name (self->content_stack, "floor");
  legend_changed_cb (NULL, self);
}

/* ---- Loading off the main thread ------------------------------------------------------ */

/* What the newest request asked for; the worker calls back only for the newest. */
typedef struct
{
  gint64      id;
  char       *project_code;
  TenureDate  as_of;
} LoadJob;

static void
load_job_free (gpointer data)
{
  LoadJob *job = data;

  g_free (job->project_code);
  g_free (job);
}

static LoadJob *
load_job_new (gint64      id,
              const char *project_code,
              TenureDate  as_of)
{
  LoadJob *job = g_new0 (LoadJob, 1);

  job->id = id;
  job->project_code = g_strdup (project_code);
  job->as_of = as_of;
  return job;
}

static gpointer
floor_job (TenureDb      *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  LoadJob *job = data;

  return tenure_portfolio_list_floor_units (db, job->id, job->as_of, error);
}

static gpointer
building_job (TenureDb      *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  LoadJob *job = data;

  return building_data_load (db, job->id, job->project_code, job->as_of, cancellable, error);
}

static gpointer
tree_job (TenureDb      *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return tenure_portfolio_list_asset_tree (db, error);
}

/* Shows the spinner page with MESSAGE in the content area, remembering what it replaces. */
static void
set_loading (TenurePortfolioPage *self,
             gboolean             loading,
             const char          *message)
{
  if (loading && !self->loading)
    {
      const char *visible = gtk_stack_get_visible_child_name (self->content_stack);

      g_free (self->prev_content);
      self->prev_content = g_strdup (visible);
      g_set_object (&self->prev_node, self->shown_node);
    }
  self->loading = loading;
  gtk_spinner_set_spinning (self->load_spinner, loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "portfolio.cancel-load", loading);
  if (loading)
    {
      gtk_label_set_text (self->load_label, message);
      gtk_stack_set_visible_child_name (self->content_stack, "loading");
    }
}

/* Back to what showed before the load began: its content page and its tree row. */
static void
restore_previous_view (TenurePortfolioPage *self)
{
  gtk_stack_set_visible_child_name (self->content_stack,
                                    self->prev_content ? self->prev_content : "table");
  self->restoring = TRUE;
  if (self->prev_node == NULL
      || !select_node_in_tree (self, self->prev_node->kind, self->prev_node->id))
    gtk_single_selection_set_selected (self->tree_selection, GTK_INVALID_LIST_POSITION);
  self->restoring = FALSE;
}

/* Stops the running load (its result is dropped); RESTORE puts the previous view back. */
static void
cancel_load (TenurePortfolioPage *self,
             gboolean             restore)
{
  if (!self->loading)
    return;
  if (self->worker != NULL)
    tenure_db_worker_cancel (self->worker);
  set_loading (self, FALSE, NULL);
  if (restore)
    restore_previous_view (self);
  /* Without its tree the page cannot navigate: say so rather than show an empty pane. */
  if (restore && self->tree == NULL && self->db != NULL)
    {
      g_autoptr(GError) error =
        g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("Loading the navigation was cancelled: open the database "
                               "again to browse its buildings and floors."));
      show_error (self, error);
    }
}

/* A load failed: its message in the content area, the previous view kept. */
static void
load_failed (TenurePortfolioPage *self,
             const GError        *error)
{
  set_loading (self, FALSE, NULL);
  show_error (self, error);
  restore_previous_view (self);
}

/* The node and place of the request being loaded (the newest). */
typedef struct
{
  TenureAssetNode *node;
  char            *place;
} Request;

static Request *
request_new (TenureAssetNode *node,
             const char      *place)
{
  Request *request = g_new0 (Request, 1);

  request->node = g_object_ref (node);
  request->place = g_strdup (place);
  return request;
}

static void
request_free (Request *request)
{
  g_object_unref (request->node);
  g_free (request->place);
  g_free (request);
}

static void
floor_loaded_cb (gpointer      result,
                 const GError *error,
                 gpointer      user_data)
{
  TenurePortfolioPage *self = user_data;
  g_autoptr(GListModel) units = result;
  Request *request = g_object_get_data (G_OBJECT (self), "tenure-request");

  if (units == NULL)
    {
      load_failed (self, error);
      return;
    }
  set_loading (self, FALSE, NULL);
  show_error (self, NULL);
  apply_floor (self, request->node, request->place, units);
}

static void
building_loaded_cb (gpointer      result,
                    const GError *error,
                    gpointer      user_data)
{
  TenurePortfolioPage *self = user_data;
  BuildingData *data = result;
  Request *request = g_object_get_data (G_OBJECT (self), "tenure-request");

  if (data == NULL)
    {
      load_failed (self, error);
      return;
    }
  set_loading (self, FALSE, NULL);
  show_error (self, NULL);
  apply_building (self, request->node, request->place, data);
  building_data_free (data);
}

/* Starts loading NODE on the worker; the spinner page shows "Loading PLACE…". */
static void
start_load (TenurePortfolioPage *self,
            TenureAssetNode     *node,
            const char          *place,
            const char          *project_code)
{
  g_autofree char *message = g_strdup_printf (_("Loading %s…"), place);
  gboolean floor = node->kind == TENURE_ASSET_FLOOR;

  g_object_set_data_full (G_OBJECT (self), "tenure-request", request_new (node, place),
                          (GDestroyNotify) request_free);
  set_loading (self, TRUE, message);
  tenure_db_worker_run (self->worker, floor ? floor_job : building_job,
                        load_job_new (node->id, project_code, self->as_of), load_job_free,
                        floor ? g_object_unref : building_data_free,
                        floor ? floor_loaded_cb : building_loaded_cb, self);
}

static void
load_floor (TenurePortfolioPage *self,
            TenureAssetNode     *floor,
            const char          *place)
{
  g_autoptr(GListModel) units = NULL;
  g_autoptr(GError) error = NULL;

  if (self->db == NULL)
    return;
  if (self->worker != NULL && !self->sync_load)
    {
      start_load (self, floor, place, NULL);
      return;
    }
  cancel_load (self, FALSE);
  units = tenure_portfolio_list_floor_units (self->db, floor->id, self->as_of, &error);
  show_error (self, error);
  if (units != NULL)
    apply_floor (self, floor, place, units);
}

static void
load_building (TenurePortfolioPage *self,
               TenureAssetNode     *building,
               const char          *project_code,
               const char          *place)
{
  BuildingData *data;
  g_autoptr(GError) error = NULL;

  if (self->db == NULL)
    return;
  if (self->worker != NULL && !self->sync_load)
    {
      start_load (self, building, place, project_code);
      return;
    }
  cancel_load (self, FALSE);
  data = building_data_load (self->db, building->id, project_code, self->as_of, NULL, &error);
  if (data == NULL)
    {
      show_error (self, error);
      return;
    }
  show_error (self, NULL);
  apply_building (self, building, place, data);
  building_data_free (data);
}

static void
cancel_load_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  cancel_load (TENURE_PORTFOLIO_PAGE (widget), TRUE);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TenurePortfolioPage *self = TENURE_PORTFOLIO_PAGE (widget);
  /* "portfolio.zoom-in" → the map's "floor-plan.zoom-in" */
  g_autofree char *target = g_strconcat ("floor-plan.", action_name + strlen ("portfolio."),
                                         NULL);

  gtk_widget_activate_action (GTK_WIDGET (self->floor_plan), target, NULL);
}

/* ---- Public --------------------------------------------------------------------------- */

/* Puts the loaded navigation TREE (NULL: none) into the tree view. */
static void
apply_tree (TenurePortfolioPage *self,
            GListModel          *tree)
{
  g_autoptr(GtkTreeListModel) tree_model = NULL;

  g_set_object (&self->tree, tree);
  if (self->tree != NULL)
    tree_model = gtk_tree_list_model_new (g_object_ref (self->tree), FALSE, FALSE,
                                          create_children_cb, NULL, NULL);
  gtk_single_selection_set_model (self->tree_selection, G_LIST_MODEL (tree_model));
  /* Projects show one level down: expand the legal entities. */
  if (tree_model != NULL)
    for (guint i = g_list_model_get_n_items (self->tree); i > 0; i--)
      {
        g_autoptr(GtkTreeListRow) row =
          gtk_tree_list_model_get_child_row (tree_model, i - 1);
        if (row != NULL)
          gtk_tree_list_row_set_expanded (row, TRUE);
      }
}

static void
tree_loaded_cb (gpointer      result,
                const GError *error,
                gpointer      user_data)
{
  TenurePortfolioPage *self = user_data;
  g_autoptr(GListModel) tree = result;

  set_loading (self, FALSE, NULL);
  gtk_stack_set_visible_child_name (self->content_stack, "table");
  show_error (self, error);
  if (tree != NULL)
    apply_tree (self, tree);
}

/* The public open_… calls answer at once: a tree still loading is read on the main thread. */
static void
ensure_tree (TenurePortfolioPage *self)
{
  g_autoptr(GListModel) tree = NULL;
  g_autoptr(GError) error = NULL;

  if (self->tree != NULL || self->db == NULL)
    return;
  cancel_load (self, FALSE);
  tree = tenure_portfolio_list_asset_tree (self->db, &error);
  show_error (self, error);
  if (tree != NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "table");
      apply_tree (self, tree);
    }
}

void
tenure_portfolio_page_set_location (TenurePortfolioPage *self,
                                    const char          *location)
{
  g_return_if_fail (TENURE_IS_PORTFOLIO_PAGE (self));

  g_free (self->location);
  self->location = g_strdup (location);
}

void
tenure_portfolio_page_set_db (TenurePortfolioPage *self,
                              TenureDb            *db)
{
  g_return_if_fail (TENURE_IS_PORTFOLIO_PAGE (self));
  g_return_if_fail (db == NULL || TENURE_IS_DB (db));

  cancel_load (self, FALSE);
  if (self->worker != NULL)
    tenure_db_worker_cancel (self->worker);
  g_clear_object (&self->worker);
  g_set_object (&self->db, db);
  tenure_unit_panel_set_db (self->unit_panel, db);
  apply_tree (self, NULL);
  g_clear_object (&self->shown_node);
  g_clear_object (&self->prev_node);
  self->floor_id = 0;
  self->building_id = 0;
  g_list_store_remove_all (self->units);
  tenure_floor_plan_set_units (self->floor_plan, NULL, 1, 1);
  tenure_stacking_plan_set_floors (self->stacking_plan, 0, NULL, NULL);
  tenure_expiry_strip_set_months (self->expiry_strip, 0, NULL, NULL);
  tenure_unit_panel_set_detail (self->unit_panel, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_stack_set_visible_child_name (self->content_stack, "table");
  show_error (self, NULL);

  if (db == NULL)
    return;
  self->as_of = tenure_portfolio_get_as_of (db);
  if (self->location != NULL)
    {
      /* A large portfolio's tree takes a moment: the worker reads it on its connection. */
      self->worker = tenure_db_worker_new (self->location);
      set_loading (self, TRUE, _("Loading the portfolio…"));
      tenure_db_worker_run (self->worker, tree_job, NULL, NULL, g_object_unref, tree_loaded_cb,
                            self);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) tree = tenure_portfolio_list_asset_tree (db, &error);

      show_error (self, error);
      apply_tree (self, tree);
    }
}

gboolean
tenure_portfolio_page_open_floor (TenurePortfolioPage *self,
                                  gint64               floor_id)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), FALSE);

  gboolean found;

  ensure_tree (self);
  if (self->floor_id == floor_id
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "floor") == 0)
    return TRUE;
  self->sync_load = TRUE;
  found = select_node_in_tree (self, TENURE_ASSET_FLOOR, floor_id);
  self->sync_load = FALSE;
  return found;
}

gboolean
tenure_portfolio_page_open_building (TenurePortfolioPage *self,
                                     gint64               building_id)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), FALSE);

  gboolean found;

  ensure_tree (self);
  if (self->building_id == building_id
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "floor") == 0)
    return TRUE;
  self->sync_load = TRUE;
  found = select_node_in_tree (self, TENURE_ASSET_BUILDING, building_id);
  self->sync_load = FALSE;
  return found;
}

gboolean
tenure_portfolio_page_request_floor (TenurePortfolioPage *self,
                                     gint64               floor_id)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), FALSE);
  return select_node_in_tree (self, TENURE_ASSET_FLOOR, floor_id);
}

gboolean
tenure_portfolio_page_request_building (TenurePortfolioPage *self,
                                        gint64               building_id)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), FALSE);
  return select_node_in_tree (self, TENURE_ASSET_BUILDING, building_id);
}

gboolean
tenure_portfolio_page_is_loading (TenurePortfolioPage *self)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), FALSE);
  return self->loading;
}

void
tenure_portfolio_page_cancel_load (TenurePortfolioPage *self)
{
  g_return_if_fail (TENURE_IS_PORTFOLIO_PAGE (self));
  cancel_load (self, TRUE);
}

GtkSpinner *
tenure_portfolio_page_get_load_spinner (TenurePortfolioPage *self)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), NULL);
  return self->load_spinner;
}

TenureStackingPlan *
tenure_portfolio_page_get_stacking_plan (TenurePortfolioPage *self)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), NULL);
  return self->stacking_plan;
}

TenureExpiryStrip *
tenure_portfolio_page_get_expiry_strip (TenurePortfolioPage *self)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), NULL);
  return self->expiry_strip;
}

TenureUnitPanel *
tenure_portfolio_page_get_unit_panel (TenurePortfolioPage *self)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), NULL);
  return self->unit_panel;
}

gboolean
tenure_portfolio_page_open_unit (TenurePortfolioPage *self,
                                 gint64               floor_id,
                                 gint64               unit_id)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), FALSE);

  if (!tenure_portfolio_page_open_floor (self, floor_id))
    return FALSE;
  /* The filter might hide it in the list; the map always has it. */
  gtk_editable_set_text (GTK_EDITABLE (self->unit_filter_entry), "");
  if (!tenure_floor_plan_select_unit (self->floor_plan, unit_id))
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->floor_plan));
  return TRUE;
}

TenureFloorPlan *
tenure_portfolio_page_get_floor_plan (TenurePortfolioPage *self)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), NULL);
  return self->floor_plan;
}

GtkWidget *
tenure_portfolio_page_get_unit_list (TenurePortfolioPage *self)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), NULL);
  return GTK_WIDGET (self->unit_list_view);
}

GtkSingleSelection *
tenure_portfolio_page_get_unit_selection (TenurePortfolioPage *self)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), NULL);
  return self->unit_selection;
}

/* ---- Asset ledger editing --------------------------------------------------------------- */

/* The id of the node of KIND at or above the tree's selection, 0 when none. */
static gint64
selected_node_of_kind (TenurePortfolioPage *self,
                       TenureAssetKind      kind)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->tree_selection);
  g_autoptr(GtkTreeListRow) current = row != NULL ? g_object_ref (row) : NULL;

  while (current != NULL)
    {
      g_autoptr(TenureAssetNode) node = gtk_tree_list_row_get_item (current);
      GtkTreeListRow *parent;

      if (node->kind == kind)
        return node->id;
      parent = gtk_tree_list_row_get_parent (current);
      g_object_unref (current);
      current = parent;
    }
  /* With one legal entity nothing needs selecting to add a project. */
  if (kind == TENURE_ASSET_LEGAL_ENTITY && self->tree != NULL
      && g_list_model_get_n_items (self->tree) == 1)
    {
      g_autoptr(TenureAssetNode) only = g_list_model_get_item (self->tree, 0);

      return only->id;
    }
  return 0;
}

/* What Edit and History act on: the unit selected on the open floor, else the tree's node. */
static gboolean
ledger_target (TenurePortfolioPage *self,
               TenureLedgerKind    *out_kind,
               gint64              *out_id,
               char               **out_code)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->tree_selection);
  TenureUnitInfo *unit = gtk_single_selection_get_selected_item (self->unit_selection);
  g_autoptr(TenureAssetNode) node = NULL;

  if (unit != NULL && self->floor_id != 0
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "floor") == 0)
    {
      *out_kind = TENURE_LEDGER_UNIT;
      *out_id = unit->id;
      *out_code = g_strdup (unit->code);
      return TRUE;
    }
  if (row == NULL)
    return FALSE;
  node = gtk_tree_list_row_get_item (row);
  switch (node->kind)
    {
    case TENURE_ASSET_PROJECT:
      *out_kind = TENURE_LEDGER_PROJECT;
      break;
    case TENURE_ASSET_BUILDING:
      *out_kind = TENURE_LEDGER_BUILDING;
      break;
    case TENURE_ASSET_FLOOR:
      *out_kind = TENURE_LEDGER_FLOOR;
      break;
    case TENURE_ASSET_LEGAL_ENTITY:
    default:
      return FALSE;
    }
  *out_id = node->id;
  *out_code = g_strdup (node->code);
  return TRUE;
}

/* After a save: the tree and the project table again, the edited object shown. */
static void
ledger_saved_cb (TenureAssetEditor   *editor,
                 gint64               id,
                 TenurePortfolioPage *self)
{
  TenureLedgerKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (editor),
                                                               "ledger-kind"));
  gint64 floor_id = self->floor_id;
  g_autoptr(GListModel) tree = NULL;
  g_autoptr(GListModel) projects = NULL;
  g_autoptr(GError) error = NULL;

  if (self->db == NULL)
    return;
  cancel_load (self, FALSE);
  tree = tenure_portfolio_list_asset_tree (self->db, &error);
  if (tree != NULL)
    projects = tenure_portfolio_list_projects (self->db, &error);
  show_error (self, error);
  if (tree == NULL || projects == NULL)
    return;
  gtk_sort_list_model_set_model (self->sort_model, projects);
  apply_tree (self, tree);
  self->floor_id = 0;
  self->sync_load = TRUE;
  if (kind == TENURE_LEDGER_UNIT && floor_id != 0)
    {
      if (select_node_in_tree (self, TENURE_ASSET_FLOOR, floor_id))
        tenure_floor_plan_select_unit (self->floor_plan, id);
    }
  else if (kind == TENURE_LEDGER_FLOOR)
    select_node_in_tree (self, TENURE_ASSET_FLOOR, id);
  else if (kind == TENURE_LEDGER_BUILDING)
    select_node_in_tree (self, TENURE_ASSET_BUILDING, id);
  else if (kind == TENURE_LEDGER_PROJECT)
    select_node_in_tree (self, TENURE_ASSET_PROJECT, id);
  self->sync_load = FALSE;
}

static void
open_editor (TenurePortfolioPage *self,
             TenureLedgerKind     kind,
             gint64               id,
             gint64               parent_id)
{
  g_autoptr(GError) error = NULL;
  TenureAssetEditor *editor;

  editor = tenure_asset_editor_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                    self->db, kind, id, parent_id, &error);
  show_error (self, error);
  if (editor == NULL)
    return;
  g_object_set_data (G_OBJECT (editor), "ledger-kind", GUINT_TO_POINTER (kind));
  g_signal_connect_object (editor, "saved", G_CALLBACK (ledger_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
asset_new_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TenurePortfolioPage *self = TENURE_PORTFOLIO_PAGE (widget);
  const char *what = g_variant_get_string (parameter, NULL);
  TenureLedgerKind kind;
  gint64 parent_id = 0;
  g_autoptr(GError) error = NULL;

  if (self->db == NULL || !tenure_ledger_kind_from_table (what, &kind))
    return;
  switch (kind)
    {
    case TENURE_LEDGER_PROJECT:
      parent_id = selected_node_of_kind (self, TENURE_ASSET_LEGAL_ENTITY);
      if (parent_id == 0)
        error = g_error_new_literal (TENURE_ERROR, TENURE_ERROR_INVALID,
                                     _("Select the legal entity the new project belongs to"));
      break;
    case TENURE_LEDGER_BUILDING:
      parent_id = selected_node_of_kind (self, TENURE_ASSET_PROJECT);
      if (parent_id == 0)
        error = g_error_new_literal (TENURE_ERROR, TENURE_ERROR_INVALID,
                                     _("Select the project the new building belongs to"));
      break;
    case TENURE_LEDGER_FLOOR:
      parent_id = selected_node_of_kind (self, TENURE_ASSET_BUILDING);
      if (parent_id == 0)
        error = g_error_new_literal (TENURE_ERROR, TENURE_ERROR_INVALID,
                                     _("Select the building the new floor belongs to"));
      break;
    case TENURE_LEDGER_UNIT:
    case TENURE_LEDGER_N_KINDS:
    default:
      parent_id = selected_node_of_kind (self, TENURE_ASSET_FLOOR);
      if (parent_id == 0)
        error = g_error_new_literal (TENURE_ERROR, TENURE_ERROR_INVALID,
                                     _("Select the floor the new unit is on"));
      break;
    }
  show_error (self, error);
  if (error == NULL)
    open_editor (self, kind, 0, parent_id);
}

static void
asset_edit_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TenurePortfolioPage *self = TENURE_PORTFOLIO_PAGE (widget);
  TenureLedgerKind kind;
  gint64 id;
  g_autofree char *code = NULL;

  if (self->db == NULL)
    return;
  if (!ledger_target (self, &kind, &id, &code))
    {
      g_autoptr(GError) error =
        g_error_new_literal (TENURE_ERROR, TENURE_ERROR_INVALID,
                             _("Select a project, building, floor or unit to edit"));
      show_error (self, error);
      return;
    }
  open_editor (self, kind, id, 0);
}

static void
asset_history_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TenurePortfolioPage *self = TENURE_PORTFOLIO_PAGE (widget);
  TenureLedgerKind kind;
  gint64 id;
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  TenureHistoryView *view;

  if (self->db == NULL)
    return;
  if (!ledger_target (self, &kind, &id, &code))
    {
      error = g_error_new_literal (TENURE_ERROR, TENURE_ERROR_INVALID,
                                   _("Select a project, building, floor or unit to see its "
                                     "history"));
      show_error (self, error);
      return;
    }
  view = tenure_history_view_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                  self->db, kind, id, code, &error);
  show_error (self, error);
  if (view != NULL)
    gtk_window_present (GTK_WINDOW (view));
}

/* After a batch import: the tree and the project table again (new buildings, floors, units). */
static void
assets_imported_cb (TenureAssetImportDialog *dialog,
                    guint                    units,
                    TenurePortfolioPage     *self)
{
  g_autoptr(GListModel) tree = NULL;
  g_autoptr(GListModel) projects = NULL;
  g_autoptr(GError) error = NULL;

  if (self->db == NULL)
    return;
  cancel_load (self, FALSE);
  tree = tenure_portfolio_list_asset_tree (self->db, &error);
  if (tree != NULL)
    projects = tenure_portfolio_list_projects (self->db, &error);
  show_error (self, error);
  if (tree == NULL || projects == NULL)
    return;
  gtk_sort_list_model_set_model (self->sort_model, projects);
  apply_tree (self, tree);
}

/* Import Assets… (tenure-asset-import-dialog.h): read and write on its own connection. */
static void
asset_import_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TenurePortfolioPage *self = TENURE_PORTFOLIO_PAGE (widget);
  TenureAssetImportDialog *dialog;

  if (self->db == NULL)
    return;
  dialog = tenure_asset_import_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                           self->location, self->db);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (assets_imported_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* New…, Edit… and History… under the search entry of the navigation. */
static void
add_ledger_bar (TenurePortfolioPage *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *new_button = gtk_menu_button_new ();
  GtkWidget *edit_button = gtk_button_new_with_mnemonic (_("_Edit…"));
  GtkWidget *history_button = gtk_button_new_with_mnemonic (_("_History…"));
  g_autoptr(GMenu) menu = g_menu_new ();

  g_menu_append (menu, _("New _Project…"), "portfolio.asset-new::project");
  g_menu_append (menu, _("New _Building…"), "portfolio.asset-new::building");
  g_menu_append (menu, _("New _Floor…"), "portfolio.asset-new::floor");
  g_menu_append (menu, _("New _Unit…"), "portfolio.asset-new::unit");
  g_menu_append (menu, _("_Import Assets…"), "portfolio.asset-import");
  gtk_menu_button_set_label (GTK_MENU_BUTTON (new_button), _("New"));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (new_button), G_MENU_MODEL (menu));
  gtk_widget_set_tooltip_text (new_button, _("Add a project, building, floor or unit"));
  gtk_widget_set_name (new_button, "asset-new-button");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (edit_button), "portfolio.asset-edit");
  gtk_widget_set_tooltip_text (edit_button, _("Edit the selected unit, or the selected "
                                              "floor, building or project"));
  gtk_widget_set_name (edit_button, "asset-edit-button");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (history_button), "portfolio.asset-history");
  gtk_widget_set_tooltip_text (history_button, _("Every change of the selection: who, when, "
                                                 "old and new values"));
  gtk_widget_set_name (history_button, "asset-history-button");
  for (GtkWidget *b = new_button; b != NULL;
       b = b == new_button ? edit_button : b == edit_button ? history_button : NULL)
    {
      gtk_widget_add_css_class (b, "flat");
      gtk_box_append (GTK_BOX (bar), b);
    }
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->search_entry))),
                              bar, GTK_WIDGET (self->search_entry));
}

/* ---- GObject -------------------------------------------------------------------------- */

/* ---- Layout editing (tenure-floor-plan-editor.h) ---------------------------------------- */

/* While the layout is edited the tree and search stay put: leaving the floor goes through the
 * editor's Save/Cancel. */
static void
edit_layout_toggled_cb (GtkToggleButton     *button,
                        TenurePortfolioPage *self)
{
  gboolean on = gtk_toggle_button_get_active (button);
  GtkRoot *root;

  if (on == tenure_floor_plan_editor_get_active (self->layout_editor))
    return;
  if (on)
    {
      tenure_floor_plan_editor_set_active (self->layout_editor, TRUE);
      /* Focus leaves the search entry before it turns insensitive. */
      gtk_widget_grab_focus (GTK_WIDGET (self->floor_plan));
      gtk_widget_set_sensitive (GTK_WIDGET (self->nav_stack), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), FALSE);
      return;
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  tenure_floor_plan_editor_request_leave (self->layout_editor,
                                          GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  /* Unsaved changes: the dialog decides; the button stays down meanwhile. */
  if (tenure_floor_plan_editor_get_active (self->layout_editor))
    gtk_toggle_button_set_active (button, TRUE);
}

/* Edit mode ended: the map reloads the floor as stored (with the automatic layout again for
 * units still without an outline). */
static void
layout_editor_left_cb (TenureFloorPlanEditor *editor,
                       TenurePortfolioPage   *self)
{
  g_autoptr(GListModel) units = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *place = g_strdup (gtk_label_get_text (self->floor_title));

  gtk_toggle_button_set_active (self->edit_layout_button, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->nav_stack), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), TRUE);
  if (self->db == NULL || self->shown_node == NULL
      || self->shown_node->kind != TENURE_ASSET_FLOOR)
    return;
  units = tenure_portfolio_list_floor_units (self->db, self->shown_node->id, self->as_of, &error);
  show_error (self, error);
  if (units != NULL)
    apply_floor (self, self->shown_node, place, units);
}

static void
add_layout_editor (TenurePortfolioPage *self)
{
  GtkWidget *toolbar;

  self->layout_editor = tenure_floor_plan_editor_new (self->floor_plan);
  g_signal_connect (self->layout_editor, "left", G_CALLBACK (layout_editor_left_cb), self);
  self->edit_layout_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_mnemonic
                                                  (_("_Edit Layout")));
  gtk_widget_set_valign (GTK_WIDGET (self->edit_layout_button), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->edit_layout_button),
                               _("Draw, move and reshape the units' outlines on this floor"));
  g_signal_connect (self->edit_layout_button, "toggled", G_CALLBACK (edit_layout_toggled_cb),
                    self);
  /* Beside the zoom buttons, shown with them (floors only). */
  gtk_widget_insert_after (GTK_WIDGET (self->edit_layout_button),
                           gtk_widget_get_parent (self->zoom_box), self->zoom_box);
  g_object_bind_property (self->zoom_box, "visible", self->edit_layout_button, "visible",
                          G_BINDING_SYNC_CREATE);
  toolbar = tenure_floor_plan_editor_create_toolbar (self->layout_editor);
  gtk_widget_insert_before (toolbar, gtk_widget_get_parent (GTK_WIDGET (self->plan_stack)),
                            GTK_WIDGET (self->plan_stack));
}

static void
tenure_portfolio_page_dispose (GObject *object)
{
  TenurePortfolioPage *self = TENURE_PORTFOLIO_PAGE (object);
  GtkWidget *child;

  g_clear_object (&self->layout_editor);
  gtk_widget_dispose_template (GTK_WIDGET (self), TENURE_TYPE_PORTFOLIO_PAGE);
  /* A plain GtkWidget owns its template's top child: unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->tree_selection);
  g_clear_object (&self->results_selection);
  g_clear_object (&self->unit_selection);
  g_clear_object (&self->unit_filter);
  g_clear_object (&self->units);
  g_clear_object (&self->tree);
  if (self->worker != NULL)
    tenure_db_worker_cancel (self->worker);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->location, g_free);
  g_clear_pointer (&self->prev_content, g_free);
  g_clear_object (&self->shown_node);
  g_clear_object (&self->prev_node);
  g_clear_object (&self->db);

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
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, nav_stack);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, tree_view);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, results_view);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, no_results_label);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, unit_filter_entry);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, unit_list_view);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, floor_title);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, floor_subtitle);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, floor_plan);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, plan_stack);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, zoom_box);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, stacking_plan);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, expiry_strip);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, legend_title);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, legend_box);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, unit_panel);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, load_spinner);
  gtk_widget_class_bind_template_child (widget_class, TenurePortfolioPage, load_label);

  gtk_widget_class_install_action (widget_class, "portfolio.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "portfolio.cancel-load", NULL,
                                   cancel_load_action);
  gtk_widget_class_install_action (widget_class, "portfolio.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "portfolio.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "portfolio.zoom-fit", NULL, zoom_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "portfolio.search", NULL);
  gtk_widget_class_install_action (widget_class, "portfolio.asset-new", "s", asset_new_action);
  gtk_widget_class_install_action (widget_class, "portfolio.asset-import", NULL,
                                   asset_import_action);
  gtk_widget_class_install_action (widget_class, "portfolio.asset-edit", NULL,
                                   asset_edit_action);
  gtk_widget_class_install_action (widget_class, "portfolio.asset-history", NULL,
                                   asset_history_action);

  g_type_ensure (TENURE_TYPE_PROJECT_SUMMARY);
  g_type_ensure (TENURE_TYPE_FLOOR_PLAN);
  g_type_ensure (TENURE_TYPE_STACKING_PLAN);
  g_type_ensure (TENURE_TYPE_EXPIRY_STRIP);
  g_type_ensure (TENURE_TYPE_UNIT_PANEL);
}

static void
tenure_portfolio_page_init (TenurePortfolioPage *self)
{
  GtkListItemFactory *factory;
  g_autoptr(GtkStringList) modes = gtk_string_list_new (NULL);
  GtkFilterListModel *filtered;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const Column *column = &columns[i];
      GtkExpression *expression =
        gtk_property_expression_new (TENURE_TYPE_PROJECT_SUMMARY, NULL, column->sort_property);
      GtkSorter *sorter;
      GtkColumnViewColumn *view_column;

      factory = gtk_signal_list_item_factory_new ();
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

  /* Navigation tree. */
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (tree_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (tree_bind_cb), NULL);
  gtk_list_view_set_factory (self->tree_view, factory);
  g_object_unref (factory);
  self->tree_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->tree_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->tree_selection, TRUE);
  g_signal_connect (self->tree_selection, "notify::selected",
                    G_CALLBACK (tree_selection_changed_cb), self);
  gtk_list_view_set_model (self->tree_view, GTK_SELECTION_MODEL (self->tree_selection));

  /* Search results. */
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (result_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (result_bind_cb), NULL);
  gtk_list_view_set_factory (self->results_view, factory);
  g_object_unref (factory);
  self->results_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->results_selection, FALSE);
  gtk_list_view_set_model (self->results_view, GTK_SELECTION_MODEL (self->results_selection));
  g_signal_connect (self->results_view, "activate", G_CALLBACK (result_activated_cb), self);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->search_entry, "activate", G_CALLBACK (search_activated_cb), self);
  g_signal_connect (self->search_entry, "stop-search", G_CALLBACK (search_stopped_cb), self);

  /* The unit list beside the map. */
  self->units = g_list_store_new (TENURE_TYPE_UNIT_INFO);
  self->unit_filter = gtk_custom_filter_new (unit_matches_cb, self, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->units)),
                                        g_object_ref (GTK_FILTER (self->unit_filter)));
  self->unit_selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (self->unit_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->unit_selection, TRUE);
  g_signal_connect (self->unit_selection, "notify::selected",
                    G_CALLBACK (unit_list_selection_changed_cb), self);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (unit_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (unit_bind_cb), NULL);
  gtk_list_view_set_factory (self->unit_list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->unit_list_view, GTK_SELECTION_MODEL (self->unit_selection));
  g_signal_connect (self->unit_filter_entry, "search-changed",
                    G_CALLBACK (unit_filter_changed_cb), self);

  /* The map, its modes and legend. */
  for (guint mode = 0; mode < TENURE_FLOOR_PLAN_N_MODES; mode++)
    gtk_string_list_append (modes, tenure_floor_plan_mode_label (mode));
  gtk_drop_down_set_model (self->mode_dropdown, G_LIST_MODEL (modes));
  g_signal_connect (self->mode_dropdown, "notify::selected", G_CALLBACK (mode_selected_cb),
                    self);
  g_signal_connect (self->floor_plan, "unit-selected", G_CALLBACK (unit_selected_cb), self);
  g_signal_connect (self->floor_plan, "legend-changed", G_CALLBACK (legend_changed_cb), self);
  g_signal_connect (self->stacking_plan, "unit-selected", G_CALLBACK (unit_selected_cb), self);
  g_signal_connect (self->stacking_plan, "legend-changed", G_CALLBACK (legend_changed_cb),
                    self);
  g_signal_connect (self->expiry_strip, "month-selected", G_CALLBACK (month_selected_cb), self);
  legend_changed_cb (NULL, self);
  gtk_stack_set_visible_child_name (self->content_stack, "table");
  add_ledger_bar (self);
  add_layout_editor (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "portfolio.cancel-load", FALSE);
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
  GtkRoot *root;

  g_return_if_fail (TENURE_IS_PORTFOLIO_PAGE (self));

  /* The window sets its database before its projects: take the tree from there. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (TENURE_IS_WINDOW (root))
    tenure_portfolio_page_set_db (self, tenure_window_get_db (TENURE_WINDOW (root)));

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

TenureFloorPlanEditor *
tenure_portfolio_page_get_layout_editor (TenurePortfolioPage *self)
{
  g_return_val_if_fail (TENURE_IS_PORTFOLIO_PAGE (self), NULL);
  return self->layout_editor;
}
