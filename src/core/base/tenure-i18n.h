/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* gettext for the core: messages the core returns in a GError reach the user as they are. */
#include <glib/gi18n-lib.h>
