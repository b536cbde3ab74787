/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-io"

#include "io/tenure-table.h"

#include <string.h>

#include "base/tenure-i18n.h"

/* A row is one allocation: this header, the cells, then their texts (NUL-terminated), so a
 * table of millions of cells costs little more than the text it holds. */
struct _TenureRow
{
  guint      number;
  guint      n_cells;
  TenureCell cells[];
};

typedef struct
{
  TenureCellKind kind;
  TenureDate     date;
  double         number;
  gsize          text_offset; /* into TenureRowBuilder.text; G_MAXSIZE for "" */
} PendingCell;

struct _TenureRowBuilder
{
  GArray  *cells;  /* PendingCell */
  GString *text;
};

struct _TenureTable
{
  TenureTableOrigin origin;
  char             *source;
  char             *name;
  GPtrArray        *rows;
  guint             n_columns;
  int               header_row;
};

static const TenureCell empty_cell = { TENURE_CELL_EMPTY, TENURE_DATE_INVALID, 0.0, "" };

const char *
tenure_cell_kind_to_string (TenureCellKind kind)
{
  switch (kind)
    {
    case TENURE_CELL_EMPTY:
      return "empty";
    case TENURE_CELL_TEXT:
      return "text";
    case TENURE_CELL_NUMBER:
      return "number";
    case TENURE_CELL_BOOLEAN:
      return "boolean";
    case TENURE_CELL_DATE:
      return "date";
    case TENURE_CELL_ERROR:
      return "error";
    default:
      return "unknown";
    }
}

gboolean
tenure_cell_is_blank (const TenureCell *cell)
{
  const char *p;

  if (cell->kind == TENURE_CELL_EMPTY)
    return TRUE;
  if (cell->kind != TENURE_CELL_TEXT)
    return FALSE;
  for (p = cell->text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

guint
tenure_row_get_n_cells (const TenureRow *row)
{
  return row->n_cells;
}

const TenureCell *
tenure_row_get_cell (const TenureRow *row, guint column)
{
  if (column >= row->n_cells)
    return &empty_cell;
  return &row->cells[column];
}

const char *
tenure_row_get_text (const TenureRow *row, guint column)
{
  return tenure_row_get_cell (row, column)->text;
}

guint
tenure_row_get_number (const TenureRow *row)
{
  return row->number;
}

gboolean
tenure_row_is_blank (const TenureRow *row)
{
  for (guint i = 0; i < row->n_cells; i++)
    if (!tenure_cell_is_blank (&row->cells[i]))
      return FALSE;
  return TRUE;
}

void
tenure_row_free (TenureRow *row)
{
  g_free (row);
}

TenureRowBuilder *
tenure_row_builder_new (void)
{
  TenureRowBuilder *builder = g_new0 (TenureRowBuilder, 1);

  builder->cells = g_array_new (FALSE, FALSE, sizeof (PendingCell));
  builder->text = g_string_new (NULL);
  return builder;
}

void
tenure_row_builder_free (TenureRowBuilder *builder)
{
  if (builder == NULL)
    return;
  g_array_unref (builder->cells);
  g_string_free (builder->text, TRUE);
  g_free (builder);
}

void
tenure_row_builder_reset (TenureRowBuilder *builder)
{
  g_array_set_size (builder->cells, 0);
  g_string_truncate (builder->text, 0);
}

guint
tenure_row_builder_get_n_cells (const TenureRowBuilder *builder)
{
  return builder->cells->len;
}

void
tenure_row_builder_set (TenureRowBuilder *builder,
                        guint             column,
                        TenureCellKind    kind,
                        const char       *text,
                        gssize            text_len,
                        double            number,
                        TenureDate        date)
{
  PendingCell *cell;

  g_return_if_fail (column < TENURE_TABLE_MAX_COLUMNS);

  if (column >= builder->cells->len)
    {
      guint old_len = builder->cells->len;

      g_array_set_size (builder->cells, column + 1);
      for (guint i = old_len; i < column; i++)
        {
          PendingCell *gap = &g_array_index (builder->cells, PendingCell, i);
          *gap = (PendingCell) { TENURE_CELL_EMPTY, TENURE_DATE_INVALID, 0.0, G_MAXSIZE };
        }
    }

  cell = &g_array_index (builder->cells, PendingCell, column);
  cell->kind = kind;
  cell->date = date;
  cell->number = number;
  if (text == NULL)
    text_len = 0;
  else if (text_len < 0)
    text_len = strlen (text);
  if (text_len == 0)
    cell->text_offset = G_MAXSIZE;
  else
    {
      /* A replaced cell leaves its old text behind: harmless, readers set each cell once. */
      cell->text_offset = builder->text->len;
      g_string_append_len (builder->text, text, text_len);
      g_string_append_c (builder->text, '\0');
    }
}

void
tenure_row_builder_append (TenureRowBuilder *builder,
                           TenureCellKind    kind,
                           const char       *text,
                           gssize            text_len,
                           double            number,
                           TenureDate        date)
{
  tenure_row_builder_set (builder, builder->cells->len, kind, text, text_len, number, date);
}

TenureRow *
tenure_row_builder_end (TenureRowBuilder *builder, guint number)
{
  guint n = builder->cells->len;
  gsize cells_size = sizeof (TenureRow) + (gsize) n * sizeof (TenureCell);
  TenureRow *row = g_malloc (cells_size + builder->text->len);
  char *text_area = (char *) row + cells_size;

  row->number = number;
  row->n_cells = n;
  memcpy (text_area, builder->text->str, builder->text->len);
  for (guint i = 0; i < n; i++)
    {
      const PendingCell *p = &g_array_index (builder->cells, PendingCell, i);

      row->cells[i].kind = p->kind;
      row->cells[i].date = p->date;
      row->cells[i].number = p->number;
      row->cells[i].text = p->text_offset == G_MAXSIZE ? "" : text_area + p->text_offset;
    }
  tenure_row_builder_reset (builder);
  return row;
}

TenureTable *
tenure_table_new (TenureTableOrigin origin, const char *source, const char *name)
{
  TenureTable *table = g_new0 (TenureTable, 1);

  table->origin = origin;
  table->source = g_strdup (source != NULL ? source : "");
  table->name = g_strdup (name);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_row_free);
  table->header_row = -1;
  return table;
}

void
tenure_table_free (TenureTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->rows);
  g_free (table->source);
  g_free (table->name);
  g_free (table);
}

void
tenure_table_append_row (TenureTable *table, TenureRow *row)
{
  table->n_columns = MAX (table->n_columns, row->n_cells);
  g_ptr_array_add (table->rows, row);
}

guint
tenure_table_get_n_rows (const TenureTable *table)
{
  return table->rows->len;
}

const TenureRow *
tenure_table_get_row (const TenureTable *table, guint index)
{
  g_return_val_if_fail (index < table->rows->len, NULL);
  return g_ptr_array_index (table->rows, index);
}

guint
tenure_table_get_n_columns (const TenureTable *table)
{
  return table->n_columns;
}

const char *
tenure_table_get_source (const TenureTable *table)
{
  return table->source;
}

const char *
tenure_table_get_name (const TenureTable *table)
{
  return table->name;
}

TenureTableOrigin
tenure_table_get_origin (const TenureTable *table)
{
  return table->origin;
}

/* NFKC, trimmed, ASCII-lowercased; NULL for text that is not UTF-8. */
static char *
header_key (const char *name)
{
  g_autofree char *normalized = g_utf8_normalize (name, -1, G_NORMALIZE_NFKC);
  const char *start;
  const char *end;

  if (normalized == NULL)
    return NULL;
  start = normalized;
  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);
      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_ascii_strdown (start, end - start);
}

gboolean
tenure_table_header_equal (const char *a, const char *b)
{
  g_autofree char *ka = header_key (a);
  g_autofree char *kb = header_key (b);

  if (ka == NULL || kb == NULL)
    return g_strcmp0 (a, b) == 0;
  return strcmp (ka, kb) == 0;
}

static int
row_find_text (const TenureRow *row, const char *name)
{
  g_autofree char *key = header_key (name);

  for (guint i = 0; i < row->n_cells; i++)
    {
      const TenureCell *cell = &row->cells[i];
      g_autofree char *cell_key = NULL;

      if (cell->kind == TENURE_CELL_EMPTY)
        continue;
      cell_key = header_key (cell->text);
      if (key != NULL && cell_key != NULL ? strcmp (key, cell_key) == 0
                                          : strcmp (name, cell->text) == 0)
        return (int) i;
    }
  return -1;
}

int
tenure_table_find_header_row (const TenureTable *table,
                              const char *const *names,
                              guint              max_rows)
{
  guint limit = table->rows->len;

  g_return_val_if_fail (names != NULL, -1);

  if (max_rows > 0 && max_rows < limit)
    limit = max_rows;
  for (guint r = 0; r < limit; r++)
    {
      const TenureRow *row = g_ptr_array_index (table->rows, r);
      gboolean all = TRUE;

      for (guint n = 0; names[n] != NULL && all; n++)
        all = row_find_text (row, names[n]) >= 0;
      if (all)
        return (int) r;
    }
  return -1;
}

void
tenure_table_set_header_row (TenureTable *table, int index)
{
  g_return_if_fail (index < (int) table->rows->len);
  table->header_row = index < 0 ? -1 : index;
}

int
tenure_table_get_header_row (const TenureTable *table)
{
  return table->header_row;
}

int
tenure_table_lookup_column (const TenureTable *table, const char *name)
{
  if (table->header_row < 0)
    return -1;
  return row_find_text (g_ptr_array_index (table->rows, table->header_row), name);
}

const char *
tenure_table_get_header (const TenureTable *table, guint column)
{
  const TenureRow *header;

  if (table->header_row < 0)
    return NULL;
  header = g_ptr_array_index (table->rows, table->header_row);
  if (column >= header->n_cells || header->cells[column].kind == TENURE_CELL_EMPTY)
    return NULL;
  return header->cells[column].text;
}

char *
tenure_table_describe_cell (const TenureTable *table, const TenureRow *row, guint column)
{
  g_autofree char *file = g_path_get_basename (table->source);
  const char *header = tenure_table_get_header (table, column);

  if (table->origin == TENURE_TABLE_CSV)
    {
      if (header != NULL)
        /* Translators: file name, line number, column number, column header */
        return g_strdup_printf (_("%s, line %u, column %u (%s)"),
                                file, row->number, column + 1, header);
      /* Translators: file name, line number, column number */
      return g_strdup_printf (_("%s, line %u, column %u"), file, row->number, column + 1);
    }
  else
    {
      g_autofree char *letters = tenure_column_name (column);

      if (header != NULL)
        /* Translators: file name, sheet name, row number, column letters, column header */
        return g_strdup_printf (_("%s, sheet %s, row %u, column %s (%s)"),
                                file, table->name, row->number, letters, header);
      /* Translators: file name, sheet name, row number, column letters */
      return g_strdup_printf (_("%s, sheet %s, row %u, column %s"),
                              file, table->name, row->number, letters);
    }
}

char *
tenure_column_name (guint column)
{
  char buf[16];
  int pos = sizeof buf - 1;
  guint n = column + 1;

  buf[pos] = '\0';
  while (n > 0 && pos > 0)
    {
      n--;
      buf[--pos] = (char) ('A' + n % 26);
      n /= 26;
    }
  return g_strdup (&buf[pos]);
}

/* Parses leading letters of @p; returns the position after them, or NULL. */
static const char *
parse_letters (const char *p, guint *column)
{
  guint64 value = 0;
  const char *start = p;

  while (g_ascii_isalpha (*p))
    {
      value = value * 26 + (guint64) (g_ascii_toupper (*p) - 'A' + 1);
      if (value > TENURE_TABLE_MAX_COLUMNS)
        return NULL;
      p++;
    }
  if (p == start)
    return NULL;
  *column = (guint) value - 1;
  return p;
}

gboolean
tenure_column_parse (const char *letters, guint *column)
{
  guint col;
  const char *end;

  if (letters == NULL)
    return FALSE;
  end = parse_letters (letters, &col);
  if (end == NULL || *end != '\0')
    return FALSE;
  if (column != NULL)
    *column = col;
  return TRUE;
}

gboolean
tenure_cell_ref_parse (const char *ref, guint *column, guint *row)
{
  const char *p = ref;
  guint col;
  guint64 r = 0;

  if (ref == NULL)
    return FALSE;
  if (*p == '$')
    p++;
  p = parse_letters (p, &col);
  if (p == NULL)
    return FALSE;
  if (*p == '$')
    p++;
  if (!g_ascii_isdigit (*p) || *p == '0')
    return FALSE;
  while (g_ascii_isdigit (*p))
    {
      r = r * 10 + (guint64) (*p - '0');
      if (r > TENURE_TABLE_MAX_ROWS)
        return FALSE;
      p++;
    }
  if (*p != '\0')
    return FALSE;
  if (column != NULL)
    *column = col;
  if (row != NULL)
    *row = (guint) r;
  return TRUE;
}
