/* sws-connection.h: one SIP flow (RFC 5626 §3.5) over one connection */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SWS_TYPE_CONNECTION (sws_connection_get_type ())
G_DECLARE_DERIVABLE_TYPE (SwsConnection, sws_connection, SWS, CONNECTION, GObject)

/* A flow the server can send SIP messages on. The WebSocket transport is
 * the real subclass; tests and fuzz targets use their own. */
struct _SwsConnectionClass
{
  GObjectClass parent_class;

  /* Queue one whole SIP message; FALSE when the flow cannot take it (closed
   * or its outgoing queue is full). */
  gboolean (*send)  (SwsConnection *self,
                     GBytes        *message);
  /* Start closing; "closed" follows (maybe later). */
  void     (*close) (SwsConnection *self,
                     gushort        code,
                     const char    *reason);
};

/* Construct-only properties: "remote-ip", "remote-port", "transport". */

guint64      sws_connection_get_id          (SwsConnection *self);
const char  *sws_connection_get_remote_ip   (SwsConnection *self);
guint16      sws_connection_get_remote_port (SwsConnection *self);
/* "ip:port" (IPv6 as "[ip]:port"), for logs and the RemoteAddress property */
const char  *sws_connection_get_remote_address (SwsConnection *self);
/* "WS", "WSS", … as in a Via */
const char  *sws_connection_get_transport   (SwsConnection *self);
gint64       sws_connection_get_last_activity (SwsConnection *self);
void         sws_connection_touch           (SwsConnection *self,
                                             gint64         now);
gboolean     sws_connection_is_closed       (SwsConnection *self);

gboolean     sws_connection_send            (SwsConnection *self,
                                             GBytes        *message);
void         sws_connection_close           (SwsConnection *self,
                                             gushort        code,
                                             const char    *reason);

/* For subclasses: the flow has gone; emits "closed" once. */
void         sws_connection_emit_closed     (SwsConnection *self);

/* Registrations bound to this flow (RFC 7118 §5: they die with it). The
 * connection does not own them. */
void         sws_connection_add_binding     (SwsConnection *self,
                                             gpointer       binding);
void         sws_connection_remove_binding  (SwsConnection *self,
                                             gpointer       binding);
GPtrArray   *sws_connection_steal_bindings  (SwsConnection *self);

G_END_DECLS
