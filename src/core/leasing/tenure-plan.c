/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-plan"

#include "tenure-plan.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

static const char * const line_kind_names[] = { "normal", "difference", "topup", "late_fee" };

const char *
tenure_line_kind_to_string (TenureLineKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (line_kind_names))
    return NULL;
  return line_kind_names[kind];
}

gboolean
tenure_line_kind_from_string (const char *text, TenureLineKind *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (line_kind_names); i++)
    if (strcmp (line_kind_names[i], text) == 0)
      {
        *out = (TenureLineKind) i;
        return TRUE;
      }
  return FALSE;
}

void
tenure_receivable_line_free (TenureReceivableLine *line)
{
  if (line == NULL)
    return;
  g_free (line->charge_item);
  g_free (line->currency);
  g_clear_pointer (&line->trace, tenure_trace_free);
  g_free (line);
}

GPtrArray *
tenure_plan_generate (const TenureContract     *contract,
                      const TenurePlanContext  *context,
                      GError                  **error)
{
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_UNSUPPORTED, "plan engine: work in progress");
  return NULL;
}
