/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-charge-item"

#include "leasing/tenure-charge-item.h"

#include "base/tenure-i18n.h"

const char *
tenure_charge_item_label (const char *code,
                          const char *stored_name)
{
  if (g_strcmp0 (code, "RENT") == 0)
    return _("Rent");
  if (g_strcmp0 (code, "PROPERTY_FEE") == 0)
    return _("Property fee");
  if (g_strcmp0 (code, "DEPOSIT") == 0)
    return _("Deposit");
  if (g_strcmp0 (code, "PARKING") == 0)
    return _("Parking");
  if (g_strcmp0 (code, "ADVERTISING") == 0)
    return _("Advertising space");
  if (g_strcmp0 (code, "ENERGY") == 0)
    return _("Energy");
  return stored_name;
}
