/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tenure-error.h"

G_DEFINE_QUARK (tenure-error-quark, tenure_error)
