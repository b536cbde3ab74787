/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-io"

#include "io/tenure-csv-reader.h"

#include <csv.h>
#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

/* How much text the delimiter sniffer looks at. */
#define SNIFF_BYTES (64 * 1024)
#define SNIFF_LINES 50

/* libcsv's parser state "inside a field" (libcsv.c: ROW_NOT_BEGUN 0, FIELD_NOT_BEGUN 1,
 * FIELD_BEGUN 2, FIELD_MIGHT_HAVE_ENDED 3); struct csv_parser is public, the names are not. */
#define LIBCSV_FIELD_BEGUN 2

struct _TenureCsvReader
{
  GBytes            *text;          /* decoded UTF-8 */
  const char        *data;
  gsize              len;
  gsize              pos;
  char              *display_name;
  char              *source;
  TenureTextEncoding encoding;
  TenureCsvDelimiter delimiter;
  TenureCsvFlags     flags;

  struct csv_parser  parser;
  gboolean           parser_ready;
  gboolean           finished;
  TenureRowBuilder  *builder;
  GQueue             rows;          /* complete records not yet handed out */

  guint              line;          /* physical line of the piece being parsed */
  guint              row_line;      /* line the current record starts on */
  guint              field_line;    /* line the current field starts on */
  gboolean           at_row_start;  /* no record has begun since the last one ended */
  guint              expected_fields;
  GError            *pending_error; /* raised inside a libcsv callback */
};

/* libcsv's default trims blanks around unquoted fields; a field keeps its text as written. */
static int
never_space (unsigned char c)
{
  return 0;
}

static void
field_done_cb (void *s, size_t len, void *data)
{
  TenureCsvReader *reader = data;
  guint n = tenure_row_builder_get_n_cells (reader->builder);

  reader->field_line = reader->line;
  if (reader->pending_error != NULL)
    return;
  if (n >= TENURE_TABLE_MAX_COLUMNS)
    {
      g_set_error (&reader->pending_error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   /* Translators: file name, line number, maximum number of fields */
                   _("%s, line %u: more than %u fields in one record"),
                   reader->display_name, reader->row_line, (guint) TENURE_TABLE_MAX_COLUMNS);
      return;
    }
  tenure_row_builder_append (reader->builder, len > 0 ? TENURE_CELL_TEXT : TENURE_CELL_EMPTY,
                             s, len, 0.0, TENURE_DATE_INVALID);
}

static void
record_done_cb (int c, void *data)
{
  TenureCsvReader *reader = data;
  guint n = tenure_row_builder_get_n_cells (reader->builder);

  reader->at_row_start = TRUE;
  if (reader->pending_error != NULL)
    {
      tenure_row_builder_reset (reader->builder);
      return;
    }
  if (reader->flags & TENURE_CSV_FLAGS_STRICT_FIELD_COUNT)
    {
      if (reader->expected_fields == 0)
        reader->expected_fields = n;
      else if (n != reader->expected_fields)
        {
          g_set_error (&reader->pending_error, TENURE_ERROR, TENURE_ERROR_PARSE,
                       /* Translators: file name, line number, field counts */
                       _("%s, line %u: %u fields where the first record has %u"),
                       reader->display_name, reader->row_line, n, reader->expected_fields);
          tenure_row_builder_reset (reader->builder);
          return;
        }
    }
  g_queue_push_tail (&reader->rows, tenure_row_builder_end (reader->builder, reader->row_line));
}

/* Counts @delim outside quotes on each of the first lines; the best delimiter splits the most
 * lines into the same (largest such) number of fields. */
static TenureCsvDelimiter
sniff_delimiter (const char *data, gsize len)
{
  static const char candidates[] = { ',', '\t', ';' };
  gsize end = MIN (len, SNIFF_BYTES);
  guint best_score = 0;
  char best = ',';

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      g_autoptr(GHashTable) tally = g_hash_table_new (NULL, NULL);
      guint count = 0;
      guint lines = 0;
      gboolean quoted = FALSE;
      GHashTableIter iter;
      gpointer key, value;
      guint score = 0;

      for (gsize i = 0; i < end && lines < SNIFF_LINES; i++)
        {
          char ch = data[i];

          if (ch == '"')
            quoted = !quoted;
          else if (!quoted && ch == candidates[c])
            count++;
          else if (!quoted && ch == '\n')
            {
              if (count > 0)
                {
                  guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (tally,
                                                                      GUINT_TO_POINTER (count)));
                  g_hash_table_insert (tally, GUINT_TO_POINTER (count),
                                       GUINT_TO_POINTER (seen + 1));
                }
              count = 0;
              lines++;
            }
        }
      if (count > 0 && !quoted)
        {
          guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (tally, GUINT_TO_POINTER (count)));
          g_hash_table_insert (tally, GUINT_TO_POINTER (count), GUINT_TO_POINTER (seen + 1));
        }

      g_hash_table_iter_init (&iter, tally);
      while (g_hash_table_iter_next (&iter, &key, &value))
        score = MAX (score, GPOINTER_TO_UINT (value));
      if (score > best_score)
        {
          best_score = score;
          best = candidates[c];
        }
    }
  return (TenureCsvDelimiter) best;
}

static TenureCsvReader *
reader_new (GBytes             *text,
            TenureTextEncoding  encoding,
            const char         *display_name,
            const char         *source,
            TenureCsvDelimiter  delimiter,
            TenureCsvFlags      flags)
{
  TenureCsvReader *reader = g_new0 (TenureCsvReader, 1);

  reader->text = text;
  reader->data = g_bytes_get_data (text, &reader->len);
  reader->encoding = encoding;
  reader->display_name = g_strdup (display_name);
  reader->source = g_strdup (source);
  reader->flags = flags;
  reader->delimiter = delimiter == TENURE_CSV_DELIMITER_SNIFF
                        ? sniff_delimiter (reader->data, reader->len) : delimiter;
  reader->builder = tenure_row_builder_new ();
  g_queue_init (&reader->rows);
  reader->line = 1;
  reader->at_row_start = TRUE;

  /* STRICT_FINI: an unclosed quote at the end is an error, not a field. */
  if (csv_init (&reader->parser, CSV_STRICT_FINI) != 0)
    g_error ("libcsv could not allocate its parser");
  reader->parser_ready = TRUE;
  csv_set_delim (&reader->parser, (unsigned char) reader->delimiter);
  csv_set_space_func (&reader->parser, never_space);
  return reader;
}

TenureCsvReader *
tenure_csv_reader_new_for_bytes (GBytes             *raw,
                                 const char         *display_name,
                                 TenureCsvDelimiter  delimiter,
                                 TenureCsvFlags      flags,
                                 GError            **error)
{
  TenureTextEncoding encoding = TENURE_TEXT_ENCODING_UTF8;
  GBytes *text;

  g_return_val_if_fail (raw != NULL, NULL);

  if (display_name == NULL)
    display_name = "";
  text = tenure_text_decode (raw, display_name, &encoding, error);
  if (text == NULL)
    return NULL;
  return reader_new (text, encoding, display_name, display_name, delimiter, flags);
}

TenureCsvReader *
tenure_csv_reader_new_for_file (const char         *path,
                                TenureCsvDelimiter  delimiter,
                                TenureCsvFlags      flags,
                                GError            **error)
{
  TenureTextEncoding encoding = TENURE_TEXT_ENCODING_UTF8;
  g_autofree char *display_name = g_path_get_basename (path);
  GBytes *text = tenure_text_decode_file (path, &encoding, error);

  if (text == NULL)
    return NULL;
  return reader_new (text, encoding, display_name, path, delimiter, flags);
}

void
tenure_csv_reader_free (TenureCsvReader *reader)
{
  if (reader == NULL)
    return;
  if (reader->parser_ready)
    csv_free (&reader->parser);
  g_queue_clear_full (&reader->rows, (GDestroyNotify) tenure_row_free);
  tenure_row_builder_free (reader->builder);
  g_clear_error (&reader->pending_error);
  g_bytes_unref (reader->text);
  g_free (reader->display_name);
  g_free (reader->source);
  g_free (reader);
}

TenureTextEncoding
tenure_csv_reader_get_encoding (const TenureCsvReader *reader)
{
  return reader->encoding;
}

TenureCsvDelimiter
tenure_csv_reader_get_delimiter (const TenureCsvReader *reader)
{
  return reader->delimiter;
}

double
tenure_csv_reader_get_fraction (const TenureCsvReader *reader)
{
  if (reader->len == 0)
    return 1.0;
  return (double) reader->pos / (double) reader->len;
}

/* Length of the physical line starting at @pos, line break (LF, CRLF or a lone CR) included. */
static gsize
piece_length (const char *data, gsize len, gsize pos)
{
  const char *start = data + pos;
  gsize rest = len - pos;
  const char *lf = memchr (start, '\n', rest);
  gsize span = lf != NULL ? (gsize) (lf - start) : rest;
  const char *cr = memchr (start, '\r', span);

  if (cr != NULL)
    {
      gsize at = cr - start;
      if (at + 1 < rest && start[at + 1] == '\n')
        return at + 2;
      return at + 1;
    }
  return lf != NULL ? span + 1 : rest;
}

static gboolean
is_blank_piece (const char *piece, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (piece[i] != '\r' && piece[i] != '\n')
      return FALSE;
  return TRUE;
}

static void
fail (TenureCsvReader *reader)
{
  /* After an error the reader only ever reports the end. */
  reader->finished = TRUE;
  reader->pos = reader->len;
  g_queue_clear_full (&reader->rows, (GDestroyNotify) tenure_row_free);
  tenure_row_builder_reset (reader->builder);
}

TenureRow *
tenure_csv_reader_next_row (TenureCsvReader *reader, GError **error)
{
  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* libcsv is fed one physical line at a time, which is how every record learns its line. */
  while (g_queue_is_empty (&reader->rows))
    {
      gsize n;
      gsize parsed;

      if (reader->finished)
        return NULL;

      if (reader->pos >= reader->len)
        {
          reader->finished = TRUE;
          /* libcsv reports an unclosed quote only in its strict mode, which would also refuse
           * the stray quotes real exports have (="6222…"); its state tells the same. */
          if ((reader->parser.pstate == LIBCSV_FIELD_BEGUN && reader->parser.quoted)
              || csv_fini (&reader->parser, field_done_cb, record_done_cb, reader) != 0)
            {
              guint column = tenure_row_builder_get_n_cells (reader->builder) + 1;

              g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                           /* Translators: file name, line number, column number */
                           _("%s, line %u, column %u: a quoted field is never closed "
                             "(a closing \" is missing)"),
                           reader->display_name, reader->field_line, column);
              fail (reader);
              return NULL;
            }
          if (reader->pending_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&reader->pending_error));
              fail (reader);
              return NULL;
            }
          continue;
        }

      n = piece_length (reader->data, reader->len, reader->pos);
      if (reader->at_row_start && !is_blank_piece (reader->data + reader->pos, n))
        {
          reader->at_row_start = FALSE;
          reader->row_line = reader->line;
          reader->field_line = reader->line;
        }
      parsed = csv_parse (&reader->parser, reader->data + reader->pos, n,
                          field_done_cb, record_done_cb, reader);
      if (parsed != n)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                       /* Translators: file name, line number, libcsv's reason */
                       _("%s, line %u: %s"), reader->display_name, reader->line,
                       csv_strerror (csv_error (&reader->parser)));
          fail (reader);
          return NULL;
        }
      if (reader->pending_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&reader->pending_error));
          fail (reader);
          return NULL;
        }
      reader->pos += n;
      if (reader->data[reader->pos - 1] == '\n' || reader->data[reader->pos - 1] == '\r')
        reader->line++;
    }
  return g_queue_pop_head (&reader->rows);
}

TenureTable *
tenure_csv_reader_read_all (TenureCsvReader *reader, GError **error)
{
  g_autoptr(TenureTable) table = tenure_table_new (TENURE_TABLE_CSV, reader->source, NULL);
  TenureRow *row;
  GError *local_error = NULL;

  while ((row = tenure_csv_reader_next_row (reader, &local_error)) != NULL)
    tenure_table_append_row (table, row);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&table);
}

TenureTable *
tenure_csv_read_file (const char         *path,
                      TenureCsvDelimiter  delimiter,
                      TenureCsvFlags      flags,
                      GError            **error)
{
  g_autoptr(TenureCsvReader) reader = tenure_csv_reader_new_for_file (path, delimiter, flags,
                                                                     error);
  if (reader == NULL)
    return NULL;
  return tenure_csv_reader_read_all (reader, error);
}
