/* sws-fuzz-common.c: set-up shared by the fuzz targets */

#include <stdlib.h>

#include "sws-fuzz.h"

static GLogWriterOutput
quiet_writer (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  if (!(log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)))
    return G_LOG_WRITER_HANDLED;
  g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  /* These levels are all fatal here. GLib would stop with SIGTRAP, which
   * libFuzzer does not take for a crash (no input would be saved). */
  abort ();
}

void
sws_fuzz_init_logging (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* SWS_FUZZ_VERBOSE=1 shows everything, to follow one input. */
  if (g_getenv ("SWS_FUZZ_VERBOSE") != NULL)
    g_log_set_debug_enabled (TRUE);
  else
    g_log_set_writer_func (quiet_writer, NULL, NULL);
}

void
sws_fuzz_assert_inside (const char *base,
                        gsize       len,
                        const char *p,
                        gsize       slice_len)
{
  if (p == NULL)
    return;
  g_assert_true (p >= base && p <= base + len);
  g_assert_cmpuint (slice_len, <=, (gsize) (base + len - p));
}
