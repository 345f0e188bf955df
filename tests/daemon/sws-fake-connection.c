/* sws-fake-connection.c: a flow that records what the server sends */

#include "sws-fake-connection.h"

struct _SwsFakeConnection
{
  SwsConnection parent_instance;

  GPtrArray *sent;
  guint read;
};

G_DEFINE_FINAL_TYPE (SwsFakeConnection, sws_fake_connection, SWS_TYPE_CONNECTION)

static gboolean
fake_send (SwsConnection *conn,
           GBytes        *message)
{
  SwsFakeConnection *self = SWS_FAKE_CONNECTION (conn);

  g_ptr_array_add (self->sent, g_bytes_ref (message));
  return TRUE;
}

static void
fake_close (SwsConnection *conn,
            gushort        code,
            const char    *reason)
{
  sws_connection_emit_closed (conn);
}

static void
sws_fake_connection_finalize (GObject *object)
{
  SwsFakeConnection *self = SWS_FAKE_CONNECTION (object);

  g_ptr_array_unref (self->sent);
  G_OBJECT_CLASS (sws_fake_connection_parent_class)->finalize (object);
}

static void
sws_fake_connection_class_init (SwsFakeConnectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sws_fake_connection_finalize;
  SWS_CONNECTION_CLASS (klass)->send = fake_send;
  SWS_CONNECTION_CLASS (klass)->close = fake_close;
}

static void
sws_fake_connection_init (SwsFakeConnection *self)
{
  self->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

SwsConnection *
sws_fake_connection_new (const char *ip,
                         guint16     port)
{
  return g_object_new (SWS_TYPE_FAKE_CONNECTION,
                       "remote-ip", ip, "remote-port", (guint) port, NULL);
}

GPtrArray *
sws_fake_connection_sent (SwsFakeConnection *self)
{
  return self->sent;
}

char *
sws_fake_connection_pop (SwsFakeConnection *self)
{
  gsize len;
  const char *data;

  if (self->read >= self->sent->len)
    return NULL;
  data = g_bytes_get_data (self->sent->pdata[self->read++], &len);
  return g_strndup (data, len);
}
