/* sws-log.c: where the daemon's log goes and how much of it
 *
 * Structured logging throughout (g_message and friends carry the domain
 * and code location); this writer only filters by level and picks the
 * journal when systemd gave us one. Debug output of other libraries
 * (libsoup logs every frame) stays off unless G_MESSAGES_DEBUG asks.
 */

#define G_LOG_DOMAIN "sws-log"

#include "config.h"

#include <unistd.h>

#include "sws-log.h"

static GLogLevelFlags max_level = G_LOG_LEVEL_MESSAGE;
static gboolean use_journal;

static const struct {
  const char *name;
  GLogLevelFlags level;
} levels[] = {
  { "warning", G_LOG_LEVEL_WARNING },
  { "message", G_LOG_LEVEL_MESSAGE },
  { "info", G_LOG_LEVEL_INFO },
  { "debug", G_LOG_LEVEL_DEBUG },
};

static const char *
field_domain (const GLogField *fields,
              gsize            n_fields)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      return fields[i].value;
  return NULL;
}

static GLogWriterOutput
writer (GLogLevelFlags   log_level,
        const GLogField *fields,
        gsize            n_fields,
        gpointer         user_data)
{
  GLogLevelFlags level = log_level & G_LOG_LEVEL_MASK;

  /* Levels are bit flags: a larger bit is less severe. Our own domains
   * follow the configured level; other libraries' debug and info output
   * only shows when G_MESSAGES_DEBUG names them. */
  if (level == G_LOG_LEVEL_DEBUG || level == G_LOG_LEVEL_INFO)
    {
      const char *domain = field_domain (fields, n_fields);
      gboolean ours = domain != NULL && g_str_has_prefix (domain, "sws");

      if ((!ours || level > max_level) && g_log_writer_default_would_drop (log_level, domain))
        return G_LOG_WRITER_HANDLED;
    }
  else if (level > max_level)
    return G_LOG_WRITER_HANDLED;

  if (use_journal && g_log_writer_journald (log_level, fields, n_fields, user_data) == G_LOG_WRITER_HANDLED)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
}

void
sws_log_init (gboolean verbose)
{
  use_journal = g_log_writer_is_journald (STDERR_FILENO);
  if (verbose && max_level < G_LOG_LEVEL_INFO)
    max_level = G_LOG_LEVEL_INFO;
  g_log_set_writer_func (writer, NULL, NULL);
}

gboolean
sws_log_set_level (const char *level)
{
  for (gsize i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_strcmp0 (level, levels[i].name) == 0)
      {
        max_level = levels[i].level;
        return TRUE;
      }
  return FALSE;
}

const char *
sws_log_get_level (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (levels); i++)
    if (levels[i].level == max_level)
      return levels[i].name;
  return "message";
}
