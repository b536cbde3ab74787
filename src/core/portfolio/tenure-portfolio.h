/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Read-side queries the screens need: the UI asks these and never writes SQL itself. */

#define TENURE_TYPE_PROJECT_SUMMARY (tenure_project_summary_get_type ())
G_DECLARE_FINAL_TYPE (TenureProjectSummary, tenure_project_summary,
                      TENURE, PROJECT_SUMMARY, GObject)

/* One project with the counts of its asset tree. Properties (read-only): "code", "name",
 * "format" (the stored key: mall, office, …), "format-label" (translated), "city",
 * "building-count", "floor-count", "unit-count", "leasable-area-c" (centi-m², live units),
 * "leasable-area-text" (the area with two decimals). */
const char *tenure_project_summary_get_code            (TenureProjectSummary *self);
const char *tenure_project_summary_get_name            (TenureProjectSummary *self);
const char *tenure_project_summary_get_format          (TenureProjectSummary *self);
const char *tenure_project_summary_get_city            (TenureProjectSummary *self);
gint64      tenure_project_summary_get_building_count  (TenureProjectSummary *self);
gint64      tenure_project_summary_get_floor_count     (TenureProjectSummary *self);
gint64      tenure_project_summary_get_unit_count      (TenureProjectSummary *self);
gint64      tenure_project_summary_get_leasable_area_c (TenureProjectSummary *self);

/* Every project of DB ordered by code, as a GListModel of TenureProjectSummary.
 * Retired units (retired_on set) count neither in units nor in area. */
GListModel *tenure_portfolio_list_projects (TenureDb  *db,
                                            GError   **error);

/* AREA_C (hundredths of a square metre) as text with two decimals and thousands separators,
 * "12,345.67", computed on integers only. */
char       *tenure_portfolio_format_area_c (gint64 area_c);

/* The translated name of a business format key ("mall" → "Mall"); unknown keys come back
 * as they are. */
const char *tenure_portfolio_format_label  (const char *format);

/* ---- Asset tree: legal entity → project → building → floor ------------------------------ */

typedef enum
{
  TENURE_ASSET_LEGAL_ENTITY,
  TENURE_ASSET_PROJECT,
  TENURE_ASSET_BUILDING,
  TENURE_ASSET_FLOOR,
} TenureAssetKind;

#define TENURE_TYPE_ASSET_NODE (tenure_asset_node_get_type ())
G_DECLARE_FINAL_TYPE (TenureAssetNode, tenure_asset_node, TENURE, ASSET_NODE, GObject)

/* One node of the asset tree, a read-only record. Properties: "code", "name". */
struct _TenureAssetNode
{
  GObject          parent_instance;

  TenureAssetKind  kind;
  gint64           id;
  char            *code;
  char            *name;
  /* project: its format key; floor: the plan's extent in plan units */
  char            *format;
  gint64           plan_width;
  gint64           plan_height;
  /* The children (TenureAssetNode), NULL for a floor. */
  GListStore      *children;
};

/* The whole tree of DB: a GListModel of the legal entities (TenureAssetNode), each holding its
 * projects, buildings (by sort order) and floors (by sort order). */
GListModel *tenure_portfolio_list_asset_tree (TenureDb  *db,
                                              GError   **error);

/* The date screens derive unit status on: the demo's reference date (setting "demo.as_of")
 * when there is one, else today. */
TenureDate  tenure_portfolio_get_as_of       (TenureDb  *db);

/* ---- Units of a floor ------------------------------------------------------------------ */

typedef enum
{
  TENURE_UNIT_VACANT,
  TENURE_UNIT_LEASED,
  TENURE_UNIT_EXPIRING,       /* leased, the contract ends within 90 days */
  TENURE_UNIT_RESERVED,
  TENURE_UNIT_NOT_FOR_LEASE,
  TENURE_UNIT_RENOVATION,
  TENURE_UNIT_N_STATUSES
} TenureUnitStatus;

/* Days before its end within which a contract counts as expiring. */
#define TENURE_PORTFOLIO_EXPIRING_DAYS 90

/* The translated name of STATUS ("Vacant", "Leased", …). */
const char *tenure_unit_status_label (TenureUnitStatus status);

#define TENURE_TYPE_UNIT_INFO (tenure_unit_info_get_type ())
G_DECLARE_FINAL_TYPE (TenureUnitInfo, tenure_unit_info, TENURE, UNIT_INFO, GObject)

/* A unit as the floor plan shows it on the as-of date, a read-only record. Properties for
 * lists: "code", "name", "tenant" (short name or ""), "status-label", "area-text". */
struct _TenureUnitInfo
{
  GObject           parent_instance;

  gint64            id;
  gint64            floor_id;
  char             *code;
  char             *name;
  TenureUnitStatus  status;
  gint64            leasable_area_c;
  gint64            gfa_area_c;
  gint64            asking_price_e4;   /* per m² per month; -1 when not set */
  char             *vacancy_reason;    /* NULL when not set */
  /* The contract covering the as-of date (contract_id 0 when none). */
  gint64            contract_id;
  char             *contract_code;
  char             *tenant_name;
  char             *tenant_short_name; /* the short name, else the name */
  TenureDate        contract_start;
  TenureDate        contract_end;      /* the termination date when it comes first */
  gint32            days_to_expiry;    /* contract_end − as-of */
  /* Rent per m² per month in 0.0001 yuan from the rent clauses (contract prices, escalation
   * not applied); -1 when the rent has no per-area price (turnover, one-off) or no contract. */
  gint64            rent_e4;
  /* The polygon in plan units: n_points (x, y) pairs; 0 points when missing or unreadable. */
  double           *points;
  guint             n_points;
};

/* The live units of floor FLOOR_ID ordered by code, as a GListModel of TenureUnitInfo, with
 * status derived on AS_OF: leased when an active (or since expired or terminated) contract
 * covers the date up to its termination, expiring when it ends within 90 days; the stored
 * flags renovation and not for lease come first, reserved applies to a unit not leased. */
GListModel *tenure_portfolio_list_floor_units (TenureDb    *db,
                                               gint64       floor_id,
                                               TenureDate   as_of,
                                               GError     **error);

/* The units of every floor of a building, top floor first: what a stacking plan shows. */
typedef struct
{
  guint        n_floors;
  gint64      *floor_ids;
  char       **floor_names;  /* n_floors names, NULL-terminated */
  GListModel **floor_units;  /* n_floors lists of TenureUnitInfo, as list_floor_units () */
} TenureBuildingUnits;

void                 tenure_building_units_free (TenureBuildingUnits *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureBuildingUnits, tenure_building_units_free)

/* Every floor of building BUILDING_ID (reverse of the tree's order) with its units on AS_OF;
 * checks CANCELLABLE between floors (G_IO_ERROR_CANCELLED). A building without floors gives
 * n_floors 0; an unknown building too. */
TenureBuildingUnits *tenure_portfolio_list_building_units (TenureDb      *db,
                                                           gint64         building_id,
                                                           TenureDate     as_of,
                                                           GCancellable  *cancellable,
                                                           GError       **error);

/* Parses a polygon "[[x,y],…]" (at least 3 points, finite numbers) into a newly allocated
 * array of 2 × N_POINTS doubles; NULL for anything else. */
double     *tenure_portfolio_parse_polygon    (const char  *json,
                                               guint       *n_points);

/* What the tenant of a contract owes on a date, from the open items of the collections
 * engine (tenure_open_items_load): the items due before the date are overdue. */
typedef struct
{
  char        currency[4];    /* of the items ("" when there are none) */
  gboolean    mixed;          /* items in more than one currency: the sums cover CURRENCY's */
  gint64      open_total;     /* Σ open, minor units, due or not */
  gint64      overdue;        /* Σ open of the items due before the date */
  guint       n_overdue;      /* how many items are overdue */
  TenureDate  oldest_due;     /* the oldest due date among them, invalid when none */
} TenureContractArrears;

/* Fills OUT with the arrears of contract CONTRACT_ID on AS_OF; FALSE with ERROR when the
 * open items cannot be read. */
gboolean    tenure_portfolio_get_contract_arrears (TenureDb              *db,
                                                   gint64                 contract_id,
                                                   TenureDate             as_of,
                                                   TenureContractArrears *out,
                                                   GError               **error);

/* ---- Unit detail ----------------------------------------------------------------------- */

typedef struct
{
  char       *charge_name;
  char       *charge_kind;   /* rent, property_fee, … */
  char       *basis;         /* per_m2_day, per_m2_month, fixed_month, … */
  gint64      price_e4;      /* -1 when the basis has none */
  gint64      amount;        /* fen; -1 when the basis has none */
  int         cycle_months;
  TenureDate  starts_on;
  TenureDate  ends_on;
  gboolean    escalates;     /* an escalation applies: the price is the contract's base price */
} TenureClauseInfo;

typedef struct
{
  TenureDate  noted_on;
  char       *author;
  char       *body;
} TenureUnitNoteInfo;

typedef struct
{
  TenureUnitInfo *unit;
  char           *floor_name;
  char           *building_name;
  char           *project_name;
  TenureDate      as_of;
  /* When a contract covers the as-of date: */
  char           *contract_status;
  gint64          contract_area_c;   /* this unit's area in the contract */
  GPtrArray      *clauses;           /* TenureClauseInfo of the version in force */
  /* Otherwise: days since the last lease of the unit ended, -1 when it never had one. */
  gint32          days_vacant;
  GPtrArray      *notes;             /* TenureUnitNoteInfo, newest first */
  /* The contract's arrears on the as-of date (zero when no contract covers it). */
  TenureContractArrears arrears;
  /* Billing status of that contract: its last bill posted on or before the as-of date
   * (code NULL when none) and the next planned receivable not yet billed (next_due invalid
   * when none; next_amount the sum of the planned lines due that day, minor units). */
  char           *last_bill_code;
  TenureDate      last_bill_posted;
  TenureDate      last_bill_due;
  gint64          last_bill_total;
  char            bill_currency[4];
  TenureDate      next_due;
  gint64          next_amount;
} TenureUnitDetail;

/* Everything the unit panel shows about unit UNIT_ID on AS_OF, or NULL with
 * TENURE_ERROR_NOT_FOUND when there is no such unit. */
TenureUnitDetail *tenure_portfolio_get_unit_detail (TenureDb    *db,
                                                    gint64       unit_id,
                                                    TenureDate   as_of,
                                                    GError     **error);
void              tenure_unit_detail_free          (TenureUnitDetail *detail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureUnitDetail, tenure_unit_detail_free)

/* ---- Follow-up on vacant units -------------------------------------------------------- */

/* Adds a follow-up note to unit UNIT_ID dated NOTED_ON by the database's actor. BODY is
 * stripped of surrounding spaces; empty text fails with TENURE_ERROR_INVALID, an unknown unit
 * with TENURE_ERROR_NOT_FOUND. Returns the note's id, 0 on failure. */
gint64      tenure_portfolio_add_unit_note        (TenureDb    *db,
                                                   gint64       unit_id,
                                                   TenureDate   noted_on,
                                                   const char  *body,
                                                   GError     **error);
/* Sets the vacancy reason of unit UNIT_ID (stripped; NULL or empty clears it); the audit
 * triggers record the change. TENURE_ERROR_NOT_FOUND for an unknown unit. */
gboolean    tenure_portfolio_set_vacancy_reason   (TenureDb    *db,
                                                   gint64       unit_id,
                                                   const char  *reason,
                                                   GError     **error);

typedef struct
{
  char *at;          /* when, as the audit log stores it */
  char *actor;
  char *old_value;   /* NULL when there was none */
  char *new_value;   /* NULL when cleared */
} TenureFieldChange;

void        tenure_field_change_free              (TenureFieldChange *change);

/* Every change of unit UNIT_ID's vacancy reason from the audit log, newest first, as a
 * GPtrArray of TenureFieldChange (owning). */
GPtrArray  *tenure_portfolio_list_vacancy_reason_history (TenureDb    *db,
                                                          gint64       unit_id,
                                                          GError     **error);

/* The translated name of a clause basis key ("per_m2_month" → "per m² per month"). */
const char *tenure_portfolio_basis_label   (const char *basis);
/* PRICE_E4 (0.0001 yuan) as text with thousands separators and 2 to 4 decimals, "1,234.50"
 * or "5.2525", computed on integers only. */
char       *tenure_portfolio_format_price_e4 (gint64 price_e4);
/* FEN as "12,345.67". */
char       *tenure_portfolio_format_fen      (gint64 fen);

/* ---- Search ---------------------------------------------------------------------------- */

#define TENURE_TYPE_UNIT_HIT (tenure_unit_hit_get_type ())
G_DECLARE_FINAL_TYPE (TenureUnitHit, tenure_unit_hit, TENURE, UNIT_HIT, GObject)

/* A search result: the unit, its floor and why it matched. */
struct _TenureUnitHit
{
  GObject  parent_instance;

  gint64   unit_id;
  gint64   floor_id;
  char    *unit_code;
  char    *place;          /* "Project · Building · Floor" */
  char    *tenant_name;    /* NULL when the match has no contract */
  char    *contract_code;
};

/* Live units whose code, a contract number or a tenant's name or short name of any of their
 * contracts contains TEXT (case-insensitive for Latin letters), ordered by unit code, at
 * most LIMIT hits, as a GListModel of TenureUnitHit. */
GListModel *tenure_portfolio_search_units (TenureDb    *db,
                                           const char  *text,
                                           guint        limit,
                                           GError     **error);

G_END_DECLS
