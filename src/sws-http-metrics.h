/* sws-http-metrics.h: GET /metrics in the Prometheus text exposition format */
#pragma once

#include "sws-server.h"

G_BEGIN_DECLS

/* The exposition (text format 0.0.4) of the server's counters and of the
 * process (CPU, memory, descriptors). */
char *sws_http_metrics_render (SwsServer *server,
                               guint      event_streams);

G_END_DECLS
