/* sws-sip-stats.h: counting SIP messages by method and status class */
#pragma once

#include "sws-sip-types.h"

G_BEGIN_DECLS

#define SWS_SIP_STATS_N_METHODS (SWS_METHOD_PUBLISH + 1)

/* Counters for one direction. Plain integers: the daemon is one thread,
 * and reading them (metrics) is rare next to counting (every message). */
typedef struct {
  guint64 requests[SWS_SIP_STATS_N_METHODS];   /* [SWS_METHOD_UNKNOWN]: other methods */
  guint64 responses[7];                        /* [1] 1xx … [6] 6xx; [0] unused */
} SwsSipStats;

static inline void
sws_sip_stats_count_request (SwsSipStats *stats,
                             SwsMethod    method)
{
  stats->requests[(guint) method < SWS_SIP_STATS_N_METHODS ? method : SWS_METHOD_UNKNOWN]++;
}

static inline void
sws_sip_stats_count_response (SwsSipStats *stats,
                              guint        status)
{
  if (status >= 100 && status <= 699)
    stats->responses[status / 100]++;
}

/* Count an outgoing message from its start line alone ("SIP/2.0 200 …"
 * or "INVITE sip:… SIP/2.0"); anything else (a CRLF keepalive) is not a
 * SIP message and counts nothing. Returns TRUE when it counted. */
gboolean sws_sip_stats_count_bytes (SwsSipStats *stats,
                                    const char  *data,
                                    gsize        len);

/* Add every counter of `other` to `stats`. */
void     sws_sip_stats_add         (SwsSipStats       *stats,
                                    const SwsSipStats *other);

G_END_DECLS
