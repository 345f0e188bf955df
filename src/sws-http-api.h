/* sws-http-api.h: JSON API, metrics and status page on the SIP port */
#pragma once

#include <glib-object.h>

#include "sws-server.h"

G_BEGIN_DECLS

#define SWS_TYPE_HTTP_API (sws_http_api_get_type ())
G_DECLARE_FINAL_TYPE (SwsHttpApi, sws_http_api, SWS, HTTP_API, GObject)

/* Serve plain HTTP requests of the server's transport (WebSocket upgrades
 * stay SIP flows): GET /api/v1/status, /api/v1/registrations[/N],
 * /api/v1/calls[/N], /api/v1/events, /metrics, and the status page at /.
 * Works with or without D-Bus. */
SwsHttpApi *sws_http_api_new                  (SwsServer  *server);

/* Open /api/v1/events streams. */
guint       sws_http_api_get_event_stream_count (SwsHttpApi *self);

/* End every event stream (shutdown). */
void        sws_http_api_stop                 (SwsHttpApi *self);

G_END_DECLS
