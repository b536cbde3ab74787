/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TENURE_ERROR (tenure_error_quark ())

/* One domain for the whole core; callers and tests tell failures apart by code.
 * Messages are translated and name the problem and where it is (file, row, field). */
typedef enum
{
  TENURE_ERROR_FAILED,          /* anything not covered below */
  TENURE_ERROR_INVALID,         /* bad input value: amount, date, area, field */
  TENURE_ERROR_PARSE,           /* a file or text that does not follow its format */
  TENURE_ERROR_OVERFLOW,        /* an amount or count outside 64 bits */
  TENURE_ERROR_NOT_FOUND,       /* a code, file or row that does not exist */
  TENURE_ERROR_IO,              /* reading or writing a file failed */
  TENURE_ERROR_ENCODING,        /* text that is neither valid UTF-8 nor GBK */
  TENURE_ERROR_DB_OPEN,         /* the database could not be opened */
  TENURE_ERROR_DB_NOT_DATABASE, /* the file is corrupt or not a SQLite database */
  TENURE_ERROR_DB_READ_ONLY,    /* the location cannot be written */
  TENURE_ERROR_DB_FULL,         /* the disk (or quota) is full */
  TENURE_ERROR_DB_UNREACHABLE,  /* the PostgreSQL server cannot be reached */
  TENURE_ERROR_DB_AUTH,         /* PostgreSQL refused the user or password */
  TENURE_ERROR_DB_TOO_NEW,      /* the schema was written by a newer Tenure */
  TENURE_ERROR_DB_CONSTRAINT,   /* a unique, foreign-key or check constraint refused a write */
  TENURE_ERROR_DB_BUSY,         /* another writer holds the database */
  TENURE_ERROR_DB_LOST,         /* the connection dropped in the middle of work */
  TENURE_ERROR_DB,              /* any other database error */
  TENURE_ERROR_LOCKED,          /* an exclusive job (bill run, migration) runs elsewhere */
  TENURE_ERROR_CLOSED_PERIOD,   /* a posting dated in a closed period */
  TENURE_ERROR_CANCELLED,       /* the user cancelled long work */
  TENURE_ERROR_UNSUPPORTED,     /* valid input the engine cannot express */
} TenureError;

GQuark tenure_error_quark (void);

G_END_DECLS
