/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The name to show for a charge item. The built-in items (RENT, PROPERTY_FEE, DEPOSIT, PARKING,
 * ADVERTISING, ENERGY) are stored with English names by the schema: they are shown translated.
 * A user's own item keeps the name it was given (@stored_name). */
const char *tenure_charge_item_label (const char *code,
                                      const char *stored_name);

G_END_DECLS
