/* common/i18n.h — the one place that sets up gettext for every module.
 * Owns: the _() and N_() macros. Must not: hold any state. */
#pragma once
#include "config.h"
#include <glib/gi18n.h>
