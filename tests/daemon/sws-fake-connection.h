/* sws-fake-connection.h: a flow that records what the server sends */
#pragma once

#include "sws-connection.h"

G_BEGIN_DECLS

#define SWS_TYPE_FAKE_CONNECTION (sws_fake_connection_get_type ())
G_DECLARE_FINAL_TYPE (SwsFakeConnection, sws_fake_connection, SWS, FAKE_CONNECTION, SwsConnection)

SwsConnection *sws_fake_connection_new   (const char *ip,
                                          guint16     port);
/* Messages sent so far, oldest first (GBytes). */
GPtrArray     *sws_fake_connection_sent  (SwsFakeConnection *self);
/* Take the oldest unread message as a string, or NULL. */
char          *sws_fake_connection_pop   (SwsFakeConnection *self);

G_END_DECLS
