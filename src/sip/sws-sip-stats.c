/* sws-sip-stats.c: counting SIP messages by method and status class
 *
 * Outgoing messages are counted where they are sent, as built bytes;
 * reparsing them for a counter would cost more than building them, so
 * only the start line is looked at (RFC 3261 §7.1, §7.2).
 */

#include "config.h"

#include <string.h>

#include "sws-sip-stats.h"

gboolean
sws_sip_stats_count_bytes (SwsSipStats *stats,
                           const char  *data,
                           gsize        len)
{
  const char *space;

  if (len >= 12 && memcmp (data, "SIP/2.0 ", 8) == 0)
    {
      guint status = 0;

      for (gsize i = 8; i < 11; i++)
        {
          if (!g_ascii_isdigit (data[i]))
            return FALSE;
          status = status * 10 + (guint) (data[i] - '0');
        }
      if (status < 100 || status > 699)
        return FALSE;
      sws_sip_stats_count_response (stats, status);
      return TRUE;
    }

  /* A method is a token up to the first space; 32 octets is more than any
   * method in use, and bounds the scan. */
  space = memchr (data, ' ', MIN (len, 32));
  if (space == NULL || space == data)
    return FALSE;
  sws_sip_stats_count_request (stats, sws_method_from_str ((SwsStr) { data, (gsize) (space - data) }));
  return TRUE;
}

void
sws_sip_stats_add (SwsSipStats       *stats,
                   const SwsSipStats *other)
{
  for (guint i = 0; i < G_N_ELEMENTS (stats->requests); i++)
    stats->requests[i] += other->requests[i];
  for (guint i = 0; i < G_N_ELEMENTS (stats->responses); i++)
    stats->responses[i] += other->responses[i];
}
