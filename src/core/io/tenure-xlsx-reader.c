/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-io"

#include "io/tenure-xlsx-reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

#define WORKBOOK_PART      "xl/workbook.xml"
#define WORKBOOK_RELS_PART "xl/_rels/workbook.xml.rels"

/* Cells a sheet may have, gaps included (about 1 GiB of cells): a few bytes of XML must not
 * make us fill millions of empty cells. */
#define MAX_SHEET_CELLS (32u * 1024 * 1024)

#define REL_NS_TRANSITIONAL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_NS_STRICT       "http://purl.oclc.org/ooxml/officeDocument/relationships"

typedef struct
{
  char    *name;
  char    *part;          /* zip entry name, e.g. xl/worksheets/sheet1.xml */
  gboolean is_worksheet;  /* FALSE for chart and dialog sheets */
} SheetInfo;

struct _TenureXlsxBook
{
  char         *path;
  char         *display_name;
  guint64       max_part_size;
  gboolean      date1904;
  GPtrArray    *sheets;        /* SheetInfo */
  GStringChunk *string_chunk;
  GPtrArray    *strings;       /* shared strings, const char * into string_chunk */
  GArray       *xf_is_date;    /* gboolean per cellXfs index */
};

/* One part of the zip, streamed into an xmlTextReader. */
typedef struct
{
  TenureXlsxBook  *book;
  struct archive  *archive;
  const char      *part;
  guint64          total;
  GError          *io_error;   /* zip error or size limit hit while reading */
  char            *xml_error;  /* first XML error */
  int              xml_line;
  int              xml_column;
  xmlTextReaderPtr reader;
} PartStream;

static void
sheet_info_free (gpointer data)
{
  SheetInfo *info = data;

  g_free (info->name);
  g_free (info->part);
  g_free (info);
}

gboolean
tenure_xlsx_builtin_format_is_date (guint id)
{
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47)
         || (id >= 50 && id <= 58);
}

gboolean
tenure_xlsx_format_code_is_date (const char *code)
{
  if (code == NULL)
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          p = strchr (p + 1, '"');
          if (p == NULL)
            return FALSE;
          break;
        case '[':
          p = strchr (p + 1, ']');
          if (p == NULL)
            return FALSE;
          break;
        case '\\':
        case '_':
        case '*':
          /* The next character is literal (or padding). */
          if (p[1] == '\0')
            return FALSE;
          p++;
          break;
        case 'y': case 'Y':
        case 'm': case 'M':
        case 'd': case 'D':
        case 'h': case 'H':
        case 's': case 'S':
          return TRUE;
        default:
          break;
        }
    }
  return FALSE;
}

/* Zip entry names compare without a leading slash, with forward slashes, ignoring ASCII case
 * (OPC part names are case-insensitive). */
static gboolean
part_name_equal (const char *entry_name, const char *part)
{
  const char *a = entry_name;
  const char *b = part;

  while (*a == '/')
    a++;
  while (*b == '/')
    b++;
  for (; *a != '\0' && *b != '\0'; a++, b++)
    {
      char ca = *a == '\\' ? '/' : g_ascii_tolower (*a);
      char cb = *b == '\\' ? '/' : g_ascii_tolower (*b);
      if (ca != cb)
        return FALSE;
    }
  return *a == '\0' && *b == '\0';
}

static void
set_size_error (GError **error, TenureXlsxBook *book, const char *part)
{
  g_autofree char *limit = g_format_size_full (book->max_part_size, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
               /* Translators: file name, part name, size such as "1.0 GiB" */
               _("%s: %s unpacks to more than %s; it is not read (a damaged or hostile file?)"),
               book->display_name, part, limit);
}

static int
part_read_cb (void *context, char *buffer, int len)
{
  PartStream *stream = context;
  la_ssize_t n;

  if (stream->io_error != NULL)
    return -1;
  n = archive_read_data (stream->archive, buffer, (size_t) len);
  if (n < 0)
    {
      g_set_error (&stream->io_error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   /* Translators: file name, part name, libarchive's reason */
                   _("%s: %s cannot be unpacked (a damaged or truncated file?): %s"),
                   stream->book->display_name, stream->part,
                   archive_error_string (stream->archive));
      return -1;
    }
  stream->total += (guint64) n;
  if (stream->total > stream->book->max_part_size)
    {
      set_size_error (&stream->io_error, stream->book, stream->part);
      return -1;
    }
  return (int) n;
}

static void
part_xml_error_cb (void *context, xmlErrorPtr xml_error)
{
  PartStream *stream = context;

  if (stream->xml_error != NULL || xml_error == NULL)
    return;
  stream->xml_error = g_strchomp (g_strdup (xml_error->message != NULL ? xml_error->message
                                                                       : "?"));
  stream->xml_line = xml_error->line;
  stream->xml_column = xml_error->int2;
}

static void
part_stream_clear (PartStream *stream)
{
  g_clear_pointer (&stream->reader, xmlFreeTextReader);
  if (stream->archive != NULL)
    archive_read_free (stream->archive);
  stream->archive = NULL;
  g_clear_error (&stream->io_error);
  g_clear_pointer (&stream->xml_error, g_free);
}

/* Opens the zip and positions it on @part. With @missing_ok a missing part is no error:
 * returns FALSE with @error unset. */
static gboolean
part_stream_open (PartStream     *stream,
                  TenureXlsxBook *book,
                  const char     *part,
                  gboolean        missing_ok,
                  GError        **error)
{
  struct archive_entry *entry;

  memset (stream, 0, sizeof *stream);
  stream->book = book;
  stream->part = part;
  stream->archive = archive_read_new ();
  archive_read_support_format_zip_seekable (stream->archive);
  if (archive_read_open_filename (stream->archive, book->path, 64 * 1024) != ARCHIVE_OK)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   /* Translators: file name, libarchive's reason */
                   _("%s is not an .xlsx workbook: it cannot be read as a zip archive (%s)"),
                   book->display_name, archive_error_string (stream->archive));
      part_stream_clear (stream);
      return FALSE;
    }

  for (;;)
    {
      int r = archive_read_next_header (stream->archive, &entry);

      if (r == ARCHIVE_EOF)
        {
          if (!missing_ok)
            g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                         /* Translators: file name, part name */
                         _("%s: the part %s is missing (a damaged or incomplete workbook?)"),
                         book->display_name, part);
          part_stream_clear (stream);
          return FALSE;
        }
      if (r < ARCHIVE_WARN)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                       /* Translators: file name, libarchive's reason */
                       _("%s: the zip archive is damaged or truncated (%s)"),
                       book->display_name, archive_error_string (stream->archive));
          part_stream_clear (stream);
          return FALSE;
        }
      if (archive_entry_pathname (entry) != NULL
          && part_name_equal (archive_entry_pathname (entry), part))
        break;
    }

  if (archive_entry_size_is_set (entry)
      && (guint64) archive_entry_size (entry) > book->max_part_size)
    {
      set_size_error (error, book, part);
      part_stream_clear (stream);
      return FALSE;
    }

  /* No NOENT: entities are not expanded, so an entity bomb stays small. No network ever. */
  stream->reader = xmlReaderForIO (part_read_cb, NULL, stream, part, NULL,
                                   XML_PARSE_NONET | XML_PARSE_NOWARNING);
  if (stream->reader == NULL)
    g_error ("libxml2 could not create a reader");
  xmlTextReaderSetStructuredErrorHandler (stream->reader, part_xml_error_cb, stream);
  return TRUE;
}

/* Turns a failed xmlTextReaderRead() into an error naming the part, the XML line and column
 * and, for a sheet, the last row read before it: libxml2 parses ahead of what it hands out,
 * so the bad spot is after that row, not necessarily in the next one. */
static void
part_stream_set_error (PartStream *stream, guint last_row, GError **error)
{
  const char *reason = stream->xml_error != NULL ? stream->xml_error : "?";

  if (stream->io_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&stream->io_error));
      return;
    }
  if (last_row > 0)
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                 /* Translators: file name, part name, row number, XML line and column,
                  * libxml2's reason */
                 _("%s: %s, after row %u: malformed XML at line %d, column %d: %s"),
                 stream->book->display_name, stream->part, last_row, stream->xml_line,
                 stream->xml_column, reason);
  else
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                 /* Translators: file name, part name, XML line and column, libxml2's reason */
                 _("%s: %s: malformed XML at line %d, column %d: %s"),
                 stream->book->display_name, stream->part, stream->xml_line,
                 stream->xml_column, reason);
}

static gboolean
name_is (xmlTextReaderPtr reader, const char *local_name)
{
  const xmlChar *name = xmlTextReaderConstLocalName (reader);

  return name != NULL && strcmp ((const char *) name, local_name) == 0;
}

static char *
get_attr (xmlTextReaderPtr reader, const char *name)
{
  xmlChar *value = xmlTextReaderGetAttribute (reader, (const xmlChar *) name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

/* The r:id of a <sheet>, whichever namespace flavour (transitional or strict) it uses. */
static char *
get_relationship_id (xmlTextReaderPtr reader)
{
  static const char *const namespaces[] = { REL_NS_TRANSITIONAL, REL_NS_STRICT };

  for (guint i = 0; i < G_N_ELEMENTS (namespaces); i++)
    {
      xmlChar *value = xmlTextReaderGetAttributeNs (reader, (const xmlChar *) "id",
                                                    (const xmlChar *) namespaces[i]);
      if (value != NULL)
        {
          char *copy = g_strdup ((const char *) value);
          xmlFree (value);
          return copy;
        }
    }
  return get_attr (reader, "r:id");
}

static gboolean
parse_uint (const char *text, guint64 max, guint64 *out)
{
  guint64 value;
  char *end = NULL;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoull (text, &end, 10);
  if (errno != 0 || *end != '\0' || value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

static gboolean
xml_bool (const char *value)
{
  return g_strcmp0 (value, "1") == 0 || g_ascii_strcasecmp (value ? value : "", "true") == 0;
}

/* Excel escapes characters XML cannot hold as _xHHHH_ (e.g. _x000D_ for CR, _x005F_ for _). */
static void
unescape_xstring (GString *s)
{
  gsize out = 0;

  if (strstr (s->str, "_x") == NULL)
    return;
  for (gsize i = 0; i < s->len;)
    {
      if (s->str[i] == '_' && i + 7 <= s->len && s->str[i + 1] == 'x'
          && g_ascii_isxdigit (s->str[i + 2]) && g_ascii_isxdigit (s->str[i + 3])
          && g_ascii_isxdigit (s->str[i + 4]) && g_ascii_isxdigit (s->str[i + 5])
          && s->str[i + 6] == '_')
        {
          gunichar c = (gunichar) (g_ascii_xdigit_value (s->str[i + 2]) << 12
                                   | g_ascii_xdigit_value (s->str[i + 3]) << 8
                                   | g_ascii_xdigit_value (s->str[i + 4]) << 4
                                   | g_ascii_xdigit_value (s->str[i + 5]));
          char buf[6];
          int n;

          if (c == 0 || (c >= 0xD800 && c <= 0xDFFF))
            c = 0xFFFD;
          n = g_unichar_to_utf8 (c, buf);
          /* A UTF-8 sequence is at most 3 bytes here, shorter than the 7-byte escape. */
          memcpy (s->str + out, buf, n);
          out += n;
          i += 7;
        }
      else
        s->str[out++] = s->str[i++];
    }
  g_string_truncate (s, out);
}

/* Appends the text content of the current node when it is text of any kind. */
static void
append_text_node (xmlTextReaderPtr reader, GString *text)
{
  int type = xmlTextReaderNodeType (reader);

  if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA
      || type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
    {
      const xmlChar *value = xmlTextReaderConstValue (reader);
      if (value != NULL)
        g_string_append (text, (const char *) value);
    }
}

/* Relationship targets are relative to xl/ unless absolute ("/xl/worksheets/sheet1.xml"). */
static char *
resolve_target (const char *target)
{
  g_autofree char *joined = NULL;
  g_auto(GStrv) segments = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  if (target[0] == '/')
    joined = g_strdup (target + 1);
  else
    joined = g_strconcat ("xl/", target, NULL);
  g_strdelimit (joined, "\\", '/');
  segments = g_strsplit (joined, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (segments[i][0] == '\0' || strcmp (segments[i], ".") == 0)
        continue;
      if (strcmp (segments[i], "..") == 0)
        {
          if (kept->len > 0)
            g_ptr_array_remove_index (kept, kept->len - 1);
          continue;
        }
      g_ptr_array_add (kept, segments[i]);
    }
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("/", (char **) kept->pdata);
}

typedef struct
{
  char *target;
  char *type;
} Relationship;

static void
relationship_free (gpointer data)
{
  Relationship *rel = data;

  g_free (rel->target);
  g_free (rel->type);
  g_free (rel);
}

static gboolean
type_is (const Relationship *rel, const char *suffix)
{
  return rel->type != NULL && g_str_has_suffix (rel->type, suffix);
}

/* Id → Relationship of xl/_rels/workbook.xml.rels. */
static GHashTable *
read_relationships (TenureXlsxBook *book, GError **error)
{
  g_autoptr(GHashTable) rels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      relationship_free);
  PartStream stream;
  int r;

  if (!part_stream_open (&stream, book, WORKBOOK_RELS_PART, FALSE, error))
    return NULL;
  while ((r = xmlTextReaderRead (stream.reader)) == 1)
    {
      g_autofree char *id = NULL;
      g_autofree char *target = NULL;
      g_autofree char *mode = NULL;
      Relationship *rel;

      if (xmlTextReaderNodeType (stream.reader) != XML_READER_TYPE_ELEMENT
          || !name_is (stream.reader, "Relationship"))
        continue;
      id = get_attr (stream.reader, "Id");
      target = get_attr (stream.reader, "Target");
      mode = get_attr (stream.reader, "TargetMode");
      if (id == NULL || target == NULL || g_strcmp0 (mode, "External") == 0)
        continue;
      rel = g_new0 (Relationship, 1);
      rel->target = resolve_target (target);
      rel->type = get_attr (stream.reader, "Type");
      g_hash_table_replace (rels, g_steal_pointer (&id), rel);
    }
  if (r < 0)
    {
      part_stream_set_error (&stream, 0, error);
      part_stream_clear (&stream);
      return NULL;
    }
  part_stream_clear (&stream);
  return g_steal_pointer (&rels);
}

static gboolean
read_workbook (TenureXlsxBook *book, GHashTable *rels, GError **error)
{
  PartStream stream;
  int r;

  if (!part_stream_open (&stream, book, WORKBOOK_PART, FALSE, error))
    return FALSE;
  while ((r = xmlTextReaderRead (stream.reader)) == 1)
    {
      if (xmlTextReaderNodeType (stream.reader) != XML_READER_TYPE_ELEMENT)
        continue;
      if (name_is (stream.reader, "workbookPr"))
        {
          g_autofree char *date1904 = get_attr (stream.reader, "date1904");
          book->date1904 = xml_bool (date1904);
        }
      else if (name_is (stream.reader, "sheet"))
        {
          g_autofree char *name = get_attr (stream.reader, "name");
          g_autofree char *rid = get_relationship_id (stream.reader);
          Relationship *rel = rid != NULL ? g_hash_table_lookup (rels, rid) : NULL;
          SheetInfo *info;

          if (name == NULL || rel == NULL)
            {
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                           /* Translators: file name, part name, sheet name */
                           _("%s: %s: sheet “%s” has no target in %s"),
                           book->display_name, WORKBOOK_PART, name ? name : "?",
                           WORKBOOK_RELS_PART);
              part_stream_clear (&stream);
              return FALSE;
            }
          info = g_new0 (SheetInfo, 1);
          info->name = g_steal_pointer (&name);
          info->part = g_strdup (rel->target);
          info->is_worksheet = type_is (rel, "/worksheet");
          g_ptr_array_add (book->sheets, info);
        }
    }
  if (r < 0)
    {
      part_stream_set_error (&stream, 0, error);
      part_stream_clear (&stream);
      return FALSE;
    }
  part_stream_clear (&stream);
  return TRUE;
}

static gboolean
read_shared_strings (TenureXlsxBook *book,
                     const char     *part,
                     gboolean        missing_ok,
                     GError        **error)
{
  PartStream stream;
  g_autoptr(GError) open_error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean in_si = FALSE;
  gboolean in_t = FALSE;
  guint in_rph = 0;
  int r;

  if (!part_stream_open (&stream, book, part, missing_ok, &open_error))
    {
      /* Without an error the part is missing, and that is fine. */
      if (open_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&open_error));
      return FALSE;
    }
  while ((r = xmlTextReaderRead (stream.reader)) == 1)
    {
      int type = xmlTextReaderNodeType (stream.reader);

      if (type == XML_READER_TYPE_ELEMENT)
        {
          gboolean empty = xmlTextReaderIsEmptyElement (stream.reader);

          if (name_is (stream.reader, "si"))
            {
              g_string_truncate (text, 0);
              in_si = !empty;
              in_t = FALSE;
              in_rph = 0;
              if (empty)
                g_ptr_array_add (book->strings, (char *) "");
            }
          /* Phonetic guides (rPh) carry their own <t>: not part of the string. */
          else if (name_is (stream.reader, "rPh") && !empty)
            in_rph++;
          else if (name_is (stream.reader, "t") && !empty)
            in_t = TRUE;
        }
      else if (type == XML_READER_TYPE_END_ELEMENT)
        {
          if (name_is (stream.reader, "si") && in_si)
            {
              unescape_xstring (text);
              g_ptr_array_add (book->strings,
                               g_string_chunk_insert_len (book->string_chunk, text->str,
                                                          text->len));
              in_si = FALSE;
            }
          else if (name_is (stream.reader, "rPh") && in_rph > 0)
            in_rph--;
          else if (name_is (stream.reader, "t"))
            in_t = FALSE;
        }
      else if (in_si && in_t && in_rph == 0)
        append_text_node (stream.reader, text);
    }
  if (r < 0)
    {
      part_stream_set_error (&stream, 0, error);
      part_stream_clear (&stream);
      return FALSE;
    }
  part_stream_clear (&stream);
  return TRUE;
}

static gboolean
read_styles (TenureXlsxBook *book, const char *part, gboolean missing_ok, GError **error)
{
  PartStream stream;
  g_autoptr(GError) open_error = NULL;
  g_autoptr(GHashTable) custom = g_hash_table_new (NULL, NULL); /* id → is date + 1 */
  g_autoptr(GArray) xf_formats = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean in_cell_xfs = FALSE;
  int r;

  if (!part_stream_open (&stream, book, part, missing_ok, &open_error))
    {
      /* Without an error the part is missing, and that is fine. */
      if (open_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&open_error));
      return FALSE;
    }
  while ((r = xmlTextReaderRead (stream.reader)) == 1)
    {
      int type = xmlTextReaderNodeType (stream.reader);

      if (type == XML_READER_TYPE_ELEMENT)
        {
          if (name_is (stream.reader, "numFmt"))
            {
              g_autofree char *id_text = get_attr (stream.reader, "numFmtId");
              g_autofree char *code = get_attr (stream.reader, "formatCode");
              guint64 id;

              if (parse_uint (id_text, G_MAXUINT32, &id))
                g_hash_table_insert (custom, GUINT_TO_POINTER ((guint) id),
                                     GUINT_TO_POINTER (tenure_xlsx_format_code_is_date (code)
                                                       + 1));
            }
          else if (name_is (stream.reader, "cellXfs"))
            in_cell_xfs = !xmlTextReaderIsEmptyElement (stream.reader);
          else if (in_cell_xfs && name_is (stream.reader, "xf"))
            {
              g_autofree char *id_text = get_attr (stream.reader, "numFmtId");
              guint64 id = 0;
              guint fmt;

              if (!parse_uint (id_text, G_MAXUINT32, &id))
                id = 0;
              fmt = (guint) id;
              g_array_append_val (xf_formats, fmt);
            }
        }
      else if (type == XML_READER_TYPE_END_ELEMENT && name_is (stream.reader, "cellXfs"))
        in_cell_xfs = FALSE;
    }
  if (r < 0)
    {
      part_stream_set_error (&stream, 0, error);
      part_stream_clear (&stream);
      return FALSE;
    }
  part_stream_clear (&stream);

  for (guint i = 0; i < xf_formats->len; i++)
    {
      guint fmt = g_array_index (xf_formats, guint, i);
      guint known = GPOINTER_TO_UINT (g_hash_table_lookup (custom, GUINT_TO_POINTER (fmt)));
      gboolean is_date = known != 0 ? known == 2 : tenure_xlsx_builtin_format_is_date (fmt);

      g_array_append_val (book->xf_is_date, is_date);
    }
  return TRUE;
}

TenureXlsxBook *
tenure_xlsx_book_open_with_limit (const char *path, guint64 max_part_size, GError **error)
{
  g_autoptr(TenureXlsxBook) book = NULL;
  g_autoptr(GHashTable) rels = NULL;
  GHashTableIter iter;
  gpointer value;
  const char *strings_part = NULL;
  const char *styles_part = NULL;

  static gsize xml_initialized = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* libxml2 2.9 must be initialised once before threads (import tasks) use it. */
  if (g_once_init_enter (&xml_initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&xml_initialized, 1);
    }

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   /* Translators: file path */
                   _("%s does not exist"), path);
      return NULL;
    }
  if (g_access (path, R_OK) != 0 || g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO,
                   /* Translators: file path, system error message */
                   _("Cannot read %s: %s"), path,
                   g_file_test (path, G_FILE_TEST_IS_DIR) ? g_strerror (EISDIR)
                                                          : g_strerror (errno));
      return NULL;
    }

  book = g_new0 (TenureXlsxBook, 1);
  book->path = g_strdup (path);
  book->display_name = g_path_get_basename (path);
  book->max_part_size = max_part_size;
  book->sheets = g_ptr_array_new_with_free_func (sheet_info_free);
  book->string_chunk = g_string_chunk_new (64 * 1024);
  book->strings = g_ptr_array_new ();
  book->xf_is_date = g_array_new (FALSE, FALSE, sizeof (gboolean));

  rels = read_relationships (book, error);
  if (rels == NULL)
    return NULL;
  if (!read_workbook (book, rels, error))
    return NULL;

  g_hash_table_iter_init (&iter, rels);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const Relationship *rel = value;

      if (type_is (rel, "/sharedStrings"))
        strings_part = rel->target;
      else if (type_is (rel, "/styles"))
        styles_part = rel->target;
    }
  /* Both parts are optional (a workbook of numbers needs no shared strings); some writers
   * leave out the relationship but still put the part at its usual place. */
  if (!read_shared_strings (book, strings_part != NULL ? strings_part : "xl/sharedStrings.xml",
                            strings_part == NULL, error))
    return NULL;
  if (!read_styles (book, styles_part != NULL ? styles_part : "xl/styles.xml",
                    styles_part == NULL, error))
    return NULL;

  return g_steal_pointer (&book);
}

TenureXlsxBook *
tenure_xlsx_book_open (const char *path, GError **error)
{
  return tenure_xlsx_book_open_with_limit (path, TENURE_XLSX_DEFAULT_MAX_PART_SIZE, error);
}

void
tenure_xlsx_book_free (TenureXlsxBook *book)
{
  if (book == NULL)
    return;
  g_ptr_array_unref (book->sheets);
  g_ptr_array_unref (book->strings);
  g_string_chunk_free (book->string_chunk);
  g_array_unref (book->xf_is_date);
  g_free (book->path);
  g_free (book->display_name);
  g_free (book);
}

guint
tenure_xlsx_book_get_n_sheets (const TenureXlsxBook *book)
{
  return book->sheets->len;
}

const char *
tenure_xlsx_book_get_sheet_name (const TenureXlsxBook *book, guint index)
{
  g_return_val_if_fail (index < book->sheets->len, NULL);
  return ((SheetInfo *) g_ptr_array_index (book->sheets, index))->name;
}

gboolean
tenure_xlsx_book_get_date1904 (const TenureXlsxBook *book)
{
  return book->date1904;
}

/* State while streaming one worksheet. */
typedef struct
{
  TenureXlsxBook   *book;
  TenureTable      *table;
  TenureRowBuilder *builder;
  guint             row_number;   /* current (or last) row, 1-based; 0 before the first */
  gboolean          in_sheet_data;
  gboolean          in_row;
  int               last_column;  /* last column set in the current row, -1 for none */
  guint64           n_cells;      /* slots filled so far, gaps included */

  /* The cell being read. */
  gboolean          in_cell;
  guint             column;
  char             *ref;
  char             *type;
  guint             style;
  gboolean          in_value;     /* inside <v> */
  gboolean          in_inline;    /* inside <is> */
  gboolean          in_t;         /* inside <t> of an inline string */
  guint             in_rph;
  gboolean          has_value;
  GString          *value;
} SheetState;

static gboolean
sheet_error (SheetState *state, const char *part, GError **error, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
sheet_error (SheetState *state, const char *part, GError **error, const char *format, ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
               /* Translators: file name, part name, row number, what is wrong */
               _("%s: %s, row %u: %s"), state->book->display_name, part, state->row_number,
               detail);
  return FALSE;
}

static gboolean
count_cells (SheetState *state, guint64 more, const char *part, GError **error)
{
  state->n_cells += more;
  if (state->n_cells > MAX_SHEET_CELLS)
    return sheet_error (state, part, error,
                        /* Translators: the maximum number of cells */
                        _("the sheet has more than %u cells, more than can be imported"),
                        (guint) MAX_SHEET_CELLS);
  return TRUE;
}

static gboolean
start_row (SheetState *state, xmlTextReaderPtr reader, const char *part, GError **error)
{
  g_autofree char *r_text = get_attr (reader, "r");
  guint64 number = state->row_number + 1;

  if (r_text != NULL && !parse_uint (r_text, TENURE_TABLE_MAX_ROWS, &number))
    return sheet_error (state, part, error,
                        /* Translators: the r attribute of a row */
                        _("“%s” is not a row number"), r_text);
  if (number == 0 || number <= state->row_number)
    {
      guint previous = state->row_number;

      state->row_number = (guint) number;
      return sheet_error (state, part, error,
                          /* Translators: row number */
                          _("the row comes after row %u: rows are out of order"), previous);
    }
  if (number > TENURE_TABLE_MAX_ROWS)
    return sheet_error (state, part, error, _("the sheet has more rows than Excel allows"));

  /* Rows the file leaves out are empty rows. */
  for (guint missing = state->row_number + 1; missing < number; missing++)
    tenure_table_append_row (state->table, tenure_row_builder_end (state->builder, missing));
  if (!count_cells (state, number - state->row_number, part, error))
    return FALSE;

  state->row_number = (guint) number;
  state->in_row = TRUE;
  state->last_column = -1;
  tenure_row_builder_reset (state->builder);
  return TRUE;
}

static gboolean
start_cell (SheetState *state, xmlTextReaderPtr reader, const char *part, GError **error)
{
  g_autofree char *style_text = NULL;
  guint64 style = 0;
  guint column;
  guint ref_row;

  g_clear_pointer (&state->ref, g_free);
  g_clear_pointer (&state->type, g_free);
  state->ref = get_attr (reader, "r");
  state->type = get_attr (reader, "t");
  style_text = get_attr (reader, "s");

  if (state->ref != NULL)
    {
      if (!tenure_cell_ref_parse (state->ref, &column, &ref_row))
        return sheet_error (state, part, error,
                            /* Translators: a cell reference from the file */
                            _("“%s” is not a cell reference"), state->ref);
    }
  else
    column = (guint) (state->last_column + 1);
  if (column >= TENURE_TABLE_MAX_COLUMNS)
    return sheet_error (state, part, error, _("the row has more columns than Excel allows"));
  if ((int) column <= state->last_column)
    {
      g_autofree char *name = tenure_column_name (column);
      return sheet_error (state, part, error,
                          /* Translators: column letters */
                          _("cell %s%u appears twice or out of order"), name, state->row_number);
    }
  if (!count_cells (state, column - (guint) (state->last_column + 1) + 1, part, error))
    return FALSE;
  if (style_text != NULL && parse_uint (style_text, G_MAXUINT32, &style))
    state->style = (guint) style;
  else
    state->style = 0;

  state->column = column;
  state->last_column = (int) column;
  state->in_cell = TRUE;
  state->has_value = FALSE;
  g_string_truncate (state->value, 0);
  return TRUE;
}

static gboolean
finish_cell (SheetState *state, const char *part, GError **error)
{
  const char *type = state->type != NULL ? state->type : "n";
  g_autofree char *ref = state->ref != NULL ? g_strdup (state->ref)
                                            : g_strdup_printf ("R%uC%u", state->row_number,
                                                               state->column + 1);
  GString *v = state->value;

  state->in_cell = FALSE;

  if (strcmp (type, "inlineStr") == 0 || strcmp (type, "str") == 0)
    {
      unescape_xstring (v);
      tenure_row_builder_set (state->builder, state->column,
                              v->len > 0 ? TENURE_CELL_TEXT : TENURE_CELL_EMPTY,
                              v->str, v->len, 0.0, TENURE_DATE_INVALID);
    }
  else if (!state->has_value || v->len == 0)
    /* A styled cell without a value, or a formula never calculated. */
    tenure_row_builder_set (state->builder, state->column, TENURE_CELL_EMPTY, NULL, 0,
                            0.0, TENURE_DATE_INVALID);
  else if (strcmp (type, "s") == 0)
    {
      guint64 index;
      const char *s;

      if (!parse_uint (v->str, G_MAXUINT32, &index) || index >= state->book->strings->len)
        return sheet_error (state, part, error,
                            /* Translators: cell reference, index text, number of strings */
                            _("cell %s refers to shared string “%s”, but there are %u"),
                            ref, v->str, state->book->strings->len);
      s = g_ptr_array_index (state->book->strings, index);
      tenure_row_builder_set (state->builder, state->column,
                              *s != '\0' ? TENURE_CELL_TEXT : TENURE_CELL_EMPTY,
                              s, -1, 0.0, TENURE_DATE_INVALID);
    }
  else if (strcmp (type, "b") == 0)
    {
      gboolean value;

      if (strcmp (v->str, "1") == 0 || g_ascii_strcasecmp (v->str, "true") == 0)
        value = TRUE;
      else if (strcmp (v->str, "0") == 0 || g_ascii_strcasecmp (v->str, "false") == 0)
        value = FALSE;
      else
        return sheet_error (state, part, error,
                            /* Translators: cell reference, the value */
                            _("cell %s: “%s” is not a boolean"), ref, v->str);
      tenure_row_builder_set (state->builder, state->column, TENURE_CELL_BOOLEAN,
                              value ? "TRUE" : "FALSE", -1, value ? 1.0 : 0.0,
                              TENURE_DATE_INVALID);
    }
  else if (strcmp (type, "e") == 0)
    tenure_row_builder_set (state->builder, state->column, TENURE_CELL_ERROR,
                            v->str, v->len, 0.0, TENURE_DATE_INVALID);
  else if (strcmp (type, "d") == 0)
    {
      /* ISO 8601 date (strict OOXML); the time of day, if any, is dropped. */
      TenureDate date = TENURE_DATE_INVALID;
      char day[TENURE_DATE_ISO_BUF_SIZE];
      gint32 serial = 0;

      g_strlcpy (day, v->str, sizeof day);
      if (!tenure_date_parse_iso (day, &date, NULL))
        return sheet_error (state, part, error,
                            /* Translators: cell reference, the value */
                            _("cell %s: “%s” is not a date"), ref, v->str);
      if (!tenure_date_to_excel_serial (date, state->book->date1904, &serial, NULL))
        serial = 0;
      tenure_row_builder_set (state->builder, state->column, TENURE_CELL_DATE,
                              v->str, v->len, (double) serial, date);
    }
  else if (strcmp (type, "n") == 0)
    {
      char *end = NULL;
      double number;
      gboolean is_date;

      g_strstrip (v->str);
      g_string_set_size (v, strlen (v->str));
      errno = 0;
      number = g_ascii_strtod (v->str, &end);
      if (v->len == 0 || *end != '\0' || !isfinite (number))
        return sheet_error (state, part, error,
                            /* Translators: cell reference, the value */
                            _("cell %s: “%s” is not a number"), ref, v->str);
      is_date = state->style < state->book->xf_is_date->len
                && g_array_index (state->book->xf_is_date, gboolean, state->style);
      if (is_date)
        {
          TenureDate date = TENURE_DATE_INVALID;

          if (!tenure_date_from_excel_serial (number, state->book->date1904, &date, NULL))
            date = TENURE_DATE_INVALID;
          tenure_row_builder_set (state->builder, state->column, TENURE_CELL_DATE,
                                  v->str, v->len, number, date);
        }
      else
        tenure_row_builder_set (state->builder, state->column, TENURE_CELL_NUMBER,
                                v->str, v->len, number, TENURE_DATE_INVALID);
    }
  else
    return sheet_error (state, part, error,
                        /* Translators: cell reference, the cell type from the file */
                        _("cell %s has an unknown type “%s”"), ref, type);
  return TRUE;
}

static gboolean
sheet_element_started (SheetState *state, xmlTextReaderPtr reader, const char *part,
                       GError **error)
{
  gboolean empty = xmlTextReaderIsEmptyElement (reader);

  /* Only <sheetData> holds cells; extensions elsewhere may reuse the element names. */
  if (name_is (reader, "sheetData"))
    state->in_sheet_data = !empty;
  else if (!state->in_sheet_data)
    return TRUE;
  else if (name_is (reader, "row"))
    {
      if (!start_row (state, reader, part, error))
        return FALSE;
      if (empty)
        {
          tenure_table_append_row (state->table,
                                   tenure_row_builder_end (state->builder, state->row_number));
          state->in_row = FALSE;
        }
    }
  else if (name_is (reader, "c") && state->in_row)
    {
      if (!start_cell (state, reader, part, error))
        return FALSE;
      if (empty)
        return finish_cell (state, part, error);
    }
  else if (!state->in_cell || empty)
    return TRUE;
  else if (name_is (reader, "v"))
    {
      state->in_value = TRUE;
      state->has_value = TRUE;
    }
  else if (name_is (reader, "is"))
    {
      state->in_inline = TRUE;
      state->has_value = TRUE;
    }
  else if (state->in_inline && name_is (reader, "rPh"))
    state->in_rph++;
  else if (state->in_inline && name_is (reader, "t"))
    state->in_t = TRUE;
  return TRUE;
}

static gboolean
sheet_element_ended (SheetState *state, xmlTextReaderPtr reader, const char *part,
                     GError **error)
{
  if (name_is (reader, "sheetData"))
    state->in_sheet_data = FALSE;
  else if (name_is (reader, "row") && state->in_row)
    {
      tenure_table_append_row (state->table,
                               tenure_row_builder_end (state->builder, state->row_number));
      state->in_row = FALSE;
    }
  else if (name_is (reader, "c") && state->in_cell)
    return finish_cell (state, part, error);
  else if (name_is (reader, "v"))
    state->in_value = FALSE;
  else if (name_is (reader, "is"))
    state->in_inline = FALSE;
  else if (name_is (reader, "rPh") && state->in_rph > 0)
    state->in_rph--;
  else if (name_is (reader, "t"))
    state->in_t = FALSE;
  return TRUE;
}

static TenureTable *
read_sheet (TenureXlsxBook *book, const SheetInfo *info, GError **error)
{
  g_autoptr(TenureTable) table = NULL;
  PartStream stream;
  SheetState state = { 0 };
  gboolean ok = TRUE;
  int r;

  if (!info->is_worksheet)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_UNSUPPORTED,
                   /* Translators: file name, sheet name */
                   _("%s: sheet “%s” is a chart or dialog sheet, not a worksheet with cells"),
                   book->display_name, info->name);
      return NULL;
    }
  if (!part_stream_open (&stream, book, info->part, FALSE, error))
    return NULL;

  table = tenure_table_new (TENURE_TABLE_SHEET, book->path, info->name);
  state.book = book;
  state.table = table;
  state.builder = tenure_row_builder_new ();
  state.value = g_string_new (NULL);
  state.last_column = -1;

  while (ok && (r = xmlTextReaderRead (stream.reader)) == 1)
    {
      int type = xmlTextReaderNodeType (stream.reader);

      if (type == XML_READER_TYPE_ELEMENT)
        ok = sheet_element_started (&state, stream.reader, info->part, error);
      else if (type == XML_READER_TYPE_END_ELEMENT)
        ok = sheet_element_ended (&state, stream.reader, info->part, error);
      else if (state.in_cell && (state.in_value || (state.in_t && state.in_rph == 0)))
        append_text_node (stream.reader, state.value);
    }
  if (ok && r < 0)
    {
      part_stream_set_error (&stream, state.in_row ? state.row_number - 1 : state.row_number,
                             error);
      ok = FALSE;
    }

  part_stream_clear (&stream);
  tenure_row_builder_free (state.builder);
  g_string_free (state.value, TRUE);
  g_free (state.ref);
  g_free (state.type);
  if (!ok)
    return NULL;
  return g_steal_pointer (&table);
}

TenureTable *
tenure_xlsx_book_read_sheet_at (TenureXlsxBook *book, guint index, GError **error)
{
  g_return_val_if_fail (book != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (index >= book->sheets->len)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   /* Translators: file name, sheet position, number of sheets */
                   _("%s: there is no sheet %u (the workbook has %u)"),
                   book->display_name, index + 1, book->sheets->len);
      return NULL;
    }
  return read_sheet (book, g_ptr_array_index (book->sheets, index), error);
}

TenureTable *
tenure_xlsx_book_read_sheet (TenureXlsxBook *book, const char *name, GError **error)
{
  g_autoptr(GString) names = NULL;

  g_return_val_if_fail (book != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (name == NULL)
    return tenure_xlsx_book_read_sheet_at (book, 0, error);
  for (guint i = 0; i < book->sheets->len; i++)
    if (strcmp (((SheetInfo *) g_ptr_array_index (book->sheets, i))->name, name) == 0)
      return read_sheet (book, g_ptr_array_index (book->sheets, i), error);
  for (guint i = 0; i < book->sheets->len; i++)
    if (g_ascii_strcasecmp (((SheetInfo *) g_ptr_array_index (book->sheets, i))->name,
                            name) == 0)
      return read_sheet (book, g_ptr_array_index (book->sheets, i), error);

  names = g_string_new (NULL);
  for (guint i = 0; i < book->sheets->len; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, ((SheetInfo *) g_ptr_array_index (book->sheets, i))->name);
    }
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
               /* Translators: file name, the sheet asked for, the list of sheets */
               _("%s: there is no sheet named “%s” (the sheets are: %s)"),
               book->display_name, name, names->str);
  return NULL;
}

TenureTable *
tenure_xlsx_read_file (const char *path, const char *sheet_name, GError **error)
{
  g_autoptr(TenureXlsxBook) book = tenure_xlsx_book_open (path, error);

  if (book == NULL)
    return NULL;
  return tenure_xlsx_book_read_sheet (book, sheet_name, error);
}
