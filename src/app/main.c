/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure"

#include <glib/gi18n.h>
#include <locale.h>

#include "tenure-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TenureApplication) app = NULL;
  const char *localedir = g_getenv ("TENURE_LOCALEDIR");

  /* The user's language for text; numbers cross into SQL, files and libraries in "C". */
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = tenure_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
