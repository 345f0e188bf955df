/* sws-connection.c: one SIP flow over one connection
 *
 * The base class holds what every flow has (identity, peer address,
 * activity time, the bindings learned on it); subclasses move the bytes.
 */

#define G_LOG_DOMAIN "sws-connection"

#include "config.h"

#include <gio/gio.h>

#include "sws-connection.h"

typedef struct
{
  guint64 id;
  char *remote_ip;
  char *remote_address;
  char *transport;
  guint16 remote_port;
  gboolean closed;
  gint64 last_activity;
  GPtrArray *bindings;   /* unowned, usually 0 or 1 */
} SwsConnectionPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (SwsConnection, sws_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REMOTE_IP,
  PROP_REMOTE_PORT,
  PROP_TRANSPORT,
  N_PROPS
};

enum {
  SIGNAL_CLOSED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];
static guint64 next_id = 1;

static void
sws_connection_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SwsConnection *self = SWS_CONNECTION (object);
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_REMOTE_IP:
      priv->remote_ip = g_value_dup_string (value);
      break;
    case PROP_REMOTE_PORT:
      priv->remote_port = (guint16) g_value_get_uint (value);
      break;
    case PROP_TRANSPORT:
      priv->transport = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sws_connection_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SwsConnection *self = SWS_CONNECTION (object);
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_REMOTE_IP:
      g_value_set_string (value, priv->remote_ip);
      break;
    case PROP_REMOTE_PORT:
      g_value_set_uint (value, priv->remote_port);
      break;
    case PROP_TRANSPORT:
      g_value_set_string (value, priv->transport);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sws_connection_constructed (GObject *object)
{
  SwsConnection *self = SWS_CONNECTION (object);
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  G_OBJECT_CLASS (sws_connection_parent_class)->constructed (object);

  if (priv->remote_ip == NULL)
    priv->remote_ip = g_strdup ("");
  if (priv->transport == NULL)
    priv->transport = g_strdup ("WS");
  if (strchr (priv->remote_ip, ':') != NULL)
    priv->remote_address = g_strdup_printf ("[%s]:%u", priv->remote_ip, priv->remote_port);
  else
    priv->remote_address = g_strdup_printf ("%s:%u", priv->remote_ip, priv->remote_port);
  priv->last_activity = g_get_monotonic_time ();
}

static void
sws_connection_finalize (GObject *object)
{
  SwsConnection *self = SWS_CONNECTION (object);
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  g_free (priv->remote_ip);
  g_free (priv->remote_address);
  g_free (priv->transport);
  g_clear_pointer (&priv->bindings, g_ptr_array_unref);

  G_OBJECT_CLASS (sws_connection_parent_class)->finalize (object);
}

static void
sws_connection_class_init (SwsConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = sws_connection_set_property;
  object_class->get_property = sws_connection_get_property;
  object_class->constructed = sws_connection_constructed;
  object_class->finalize = sws_connection_finalize;

  props[PROP_REMOTE_IP] =
    g_param_spec_string ("remote-ip", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_REMOTE_PORT] =
    g_param_spec_uint ("remote-port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_TRANSPORT] =
    g_param_spec_string ("transport", NULL, NULL, "WS",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * SwsConnection::closed:
   *
   * The flow is gone; emitted exactly once.
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sws_connection_init (SwsConnection *self)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  priv->id = next_id++;
}

guint64
sws_connection_get_id (SwsConnection *self)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  return priv->id;
}

const char *
sws_connection_get_remote_ip (SwsConnection *self)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  return priv->remote_ip;
}

guint16
sws_connection_get_remote_port (SwsConnection *self)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  return priv->remote_port;
}

const char *
sws_connection_get_remote_address (SwsConnection *self)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  return priv->remote_address;
}

const char *
sws_connection_get_transport (SwsConnection *self)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  return priv->transport;
}

gint64
sws_connection_get_last_activity (SwsConnection *self)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  return priv->last_activity;
}

void
sws_connection_touch (SwsConnection *self,
                      gint64         now)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  priv->last_activity = now;
}

gboolean
sws_connection_is_closed (SwsConnection *self)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  return priv->closed;
}

gboolean
sws_connection_send (SwsConnection *self,
                     GBytes        *message)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  g_return_val_if_fail (SWS_IS_CONNECTION (self), FALSE);

  if (priv->closed)
    return FALSE;
  return SWS_CONNECTION_GET_CLASS (self)->send (self, message);
}

void
sws_connection_close (SwsConnection *self,
                      gushort        code,
                      const char    *reason)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  g_return_if_fail (SWS_IS_CONNECTION (self));

  if (priv->closed)
    return;
  SWS_CONNECTION_GET_CLASS (self)->close (self, code, reason);
}

void
sws_connection_emit_closed (SwsConnection *self)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  if (priv->closed)
    return;
  priv->closed = TRUE;
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

void
sws_connection_add_binding (SwsConnection *self,
                            gpointer       binding)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  if (priv->bindings == NULL)
    priv->bindings = g_ptr_array_sized_new (1);
  g_ptr_array_add (priv->bindings, binding);
}

void
sws_connection_remove_binding (SwsConnection *self,
                               gpointer       binding)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  if (priv->bindings != NULL)
    g_ptr_array_remove_fast (priv->bindings, binding);
}

GPtrArray *
sws_connection_steal_bindings (SwsConnection *self)
{
  SwsConnectionPrivate *priv = sws_connection_get_instance_private (self);

  return g_steal_pointer (&priv->bindings);
}
