/* sws-http-events.h: GET /api/v1/events, registration and call events as Server-Sent Events */
#pragma once

#include <libsoup/soup.h>

#include "sws-server.h"

G_BEGIN_DECLS

#define SWS_TYPE_HTTP_EVENTS (sws_http_events_get_type ())
G_DECLARE_FINAL_TYPE (SwsHttpEvents, sws_http_events, SWS, HTTP_EVENTS, GObject)

/* At most this many streams at once; more get 503. */
#define SWS_HTTP_EVENTS_MAX_STREAMS 64

SwsHttpEvents *sws_http_events_new          (SwsServer         *server);

/* Turn `msg` into an event stream (status, headers, then one event per
 * line as things happen). FALSE when the stream limit is reached; the
 * message is then left for the caller to answer. */
gboolean       sws_http_events_add_stream   (SwsHttpEvents     *self,
                                             SoupServerMessage *msg);
guint          sws_http_events_get_count    (SwsHttpEvents     *self);

/* Stream bytes that a reader may leave unread before it is cut off:
 * a stalled client must not make the daemon buffer without bound. */
void           sws_http_events_set_max_pending (SwsHttpEvents  *self,
                                                gsize           bytes);

/* End every stream cleanly (last chunk sent). */
void           sws_http_events_close_all    (SwsHttpEvents     *self);

G_END_DECLS
