/* sws-dbus-manager.c: the Manager interface, read live from the server
 *
 * The counters change with every SIP message; copying them into the
 * skeleton would cost the hot path. Instead they are overridden here and
 * read from the server when a client asks (they are declared without
 * change signals in the XML). LogLevel is writable, and a bad value must
 * be refused with an error, which the generated setter cannot do: the
 * D-Bus vtable is wrapped to check it first.
 */

#define G_LOG_DOMAIN "sws-dbus"

#include "config.h"

#include <glib/gi18n.h>

#include "sws-dbus-bridge.h"
#include "sws-dbus-manager.h"
#include "sws-log.h"

struct _SwsDbusManagerImpl
{
  SwsDBusManagerSkeleton parent_instance;

  SwsServer *server;   /* unowned: the bridge's server outlives us */
};

G_DEFINE_FINAL_TYPE (SwsDbusManagerImpl, sws_dbus_manager_impl, SWS_DBUS_TYPE_MANAGER_SKELETON)

enum {
  PROP_0,
  PROP_LOG_LEVEL,
  PROP_UPTIME,
  PROP_CONNECTION_COUNT,
  PROP_REGISTRATION_COUNT,
  PROP_CALL_COUNT,
  PROP_MESSAGES_RECEIVED,
  PROP_MESSAGES_SENT,
  PROP_PARSE_ERRORS,
  PROP_REJECTED_CONNECTIONS,
  PROP_RATE_LIMITED,
  PROP_AUTH_FAILURES,
  N_PROPS
};

static GDBusInterfaceVTable wrapped_vtable;
static GDBusInterfaceSetPropertyFunc generated_set_property;

static void
sws_dbus_manager_impl_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SwsDbusManagerImpl *self = SWS_DBUS_MANAGER_IMPL (object);
  SwsServer *server = self->server;

  switch (prop_id)
    {
    case PROP_LOG_LEVEL:
      g_value_set_string (value, sws_log_get_level ());
      break;
    case PROP_UPTIME:
      g_value_set_uint64 (value, (guint64) MAX (0, g_get_real_time () -
                                                    sws_server_get_start_time (server)) /
                                 G_USEC_PER_SEC);
      break;
    case PROP_CONNECTION_COUNT:
      g_value_set_uint (value, sws_server_get_connection_count (server));
      break;
    case PROP_REGISTRATION_COUNT:
      g_value_set_uint (value, sws_registrar_get_count (sws_server_get_registrar (server)));
      break;
    case PROP_CALL_COUNT:
      g_value_set_uint (value, sws_proxy_get_active_call_count (sws_server_get_proxy (server)));
      break;
    case PROP_MESSAGES_RECEIVED:
      g_value_set_uint64 (value, sws_server_get_messages_received (server));
      break;
    case PROP_MESSAGES_SENT:
      g_value_set_uint64 (value, sws_server_get_messages_sent (server));
      break;
    case PROP_PARSE_ERRORS:
      g_value_set_uint64 (value, sws_server_get_parse_errors (server));
      break;
    case PROP_REJECTED_CONNECTIONS:
      g_value_set_uint64 (value,
                          sws_transport_get_rejected_count (sws_server_get_transport (server)));
      break;
    case PROP_RATE_LIMITED:
      g_value_set_uint64 (value, sws_server_get_rate_limited (server));
      break;
    case PROP_AUTH_FAILURES:
      g_value_set_uint64 (value, sws_server_get_auth_failures (server));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sws_dbus_manager_impl_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_LOG_LEVEL:
      /* Checked by set_property_checked() when it comes from the bus. */
      if (sws_log_set_level (g_value_get_string (value)))
        {
          g_message ("Log level set to %s", g_value_get_string (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      /* Counters are read-only on the bus. */
      break;
    }
}

static gboolean
set_property_checked (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *object_path,
                      const char       *interface_name,
                      const char       *property_name,
                      GVariant         *value,
                      GError          **error,
                      gpointer          user_data)
{
  if (g_strcmp0 (property_name, "LogLevel") == 0)
    {
      const char *level = g_variant_get_string (value, NULL);

      if (g_strcmp0 (level, "warning") != 0 && g_strcmp0 (level, "message") != 0 &&
          g_strcmp0 (level, "info") != 0 && g_strcmp0 (level, "debug") != 0)
        {
          g_set_error (error, SWS_DBUS_ERROR, SWS_DBUS_ERROR_INVALID_ARGS,
                       _("Unknown log level “%s”: use warning, message, info or debug"), level);
          return FALSE;
        }
    }
  return generated_set_property (connection, sender, object_path, interface_name,
                                 property_name, value, error, user_data);
}

static GDBusInterfaceVTable *
sws_dbus_manager_impl_get_vtable (GDBusInterfaceSkeleton *skeleton)
{
  return &wrapped_vtable;
}

static void
sws_dbus_manager_impl_class_init (SwsDbusManagerImplClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GDBusInterfaceSkeletonClass *skeleton_class = G_DBUS_INTERFACE_SKELETON_CLASS (klass);
  GDBusInterfaceSkeletonClass *parent = G_DBUS_INTERFACE_SKELETON_CLASS (sws_dbus_manager_impl_parent_class);

  object_class->get_property = sws_dbus_manager_impl_get_property;
  object_class->set_property = sws_dbus_manager_impl_set_property;

  g_object_class_override_property (object_class, PROP_LOG_LEVEL, "log-level");
  g_object_class_override_property (object_class, PROP_UPTIME, "uptime");
  g_object_class_override_property (object_class, PROP_CONNECTION_COUNT, "connection-count");
  g_object_class_override_property (object_class, PROP_REGISTRATION_COUNT, "registration-count");
  g_object_class_override_property (object_class, PROP_CALL_COUNT, "call-count");
  g_object_class_override_property (object_class, PROP_MESSAGES_RECEIVED, "messages-received");
  g_object_class_override_property (object_class, PROP_MESSAGES_SENT, "messages-sent");
  g_object_class_override_property (object_class, PROP_PARSE_ERRORS, "parse-errors");
  g_object_class_override_property (object_class, PROP_REJECTED_CONNECTIONS,
                                    "rejected-connections");
  g_object_class_override_property (object_class, PROP_RATE_LIMITED, "rate-limited");
  g_object_class_override_property (object_class, PROP_AUTH_FAILURES, "auth-failures");

  wrapped_vtable = *parent->get_vtable (NULL);
  generated_set_property = wrapped_vtable.set_property;
  wrapped_vtable.set_property = set_property_checked;
  skeleton_class->get_vtable = sws_dbus_manager_impl_get_vtable;
}

static void
sws_dbus_manager_impl_init (SwsDbusManagerImpl *self)
{
}

SwsDBusManager *
sws_dbus_manager_impl_new (SwsServer *server)
{
  SwsDbusManagerImpl *self = g_object_new (SWS_TYPE_DBUS_MANAGER_IMPL, NULL);
  SwsDBusManager *iface = SWS_DBUS_MANAGER (self);
  SwsConfig *config = sws_server_get_config (server);

  self->server = server;
  sws_dbus_manager_set_version (iface, PACKAGE_VERSION);
  sws_dbus_manager_set_start_time (iface, (guint64) sws_server_get_start_time (server));
  sws_dbus_manager_set_listen_uris (iface,
                                    sws_transport_get_listen_uris (sws_server_get_transport (server)));
  sws_dbus_manager_set_domains (iface, sws_config_get_domains (config));
  return iface;
}

GVariant *
sws_dbus_manager_properties (SwsServer *server)
{
  g_autoptr(SwsDBusManager) iface = sws_dbus_manager_impl_new (server);

  return g_dbus_interface_skeleton_get_properties (G_DBUS_INTERFACE_SKELETON (iface));
}
