/* sws-ctl-monitor.c: `sipwsctl monitor`, events as they happen
 *
 * Follows the daemon's ObjectManager: a Registration object appearing is a
 * new binding, its Removed signal says why it went; a Call appearing is a
 * new call and its StateChanged signals are the call's life.
 */

#define G_LOG_DOMAIN "sipwsctl"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "sws-ctl-monitor.h"
#include "sws-dbus-generated.h"
#include "sws-json.h"

typedef struct
{
  GMainLoop *loop;
  gboolean json;
  int status;
} Monitor;

static const char *
removed_reason (guint reason)
{
  switch (reason)
    {
    case 1: return "unregistered";
    case 2: return "expired";
    case 3: return "connection-closed";
    case 4: return "replaced";
    case 5: return "administrative";
    default: return "unknown";
    }
}

const char *
sws_ctl_state_name (guint state)
{
  switch (state)
    {
    case 1: return "dialing";
    case 2: return "ringing-out";
    case 4: return "active";
    case 5: return "held";
    case 7: return "terminated";
    default: return "unknown";
    }
}

static void
emit (Monitor    *m,
      const char *event,
      const char *path,
      GVariant   *props,
      const char *text)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%H:%M:%S");

  if (m->json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();
      g_autofree char *line = NULL;

      json_object_set_int_member (object, "time", g_date_time_to_unix (now));
      json_object_set_string_member (object, "event", event);
      json_object_set_member (object, "object", sws_json_object_from_properties (path, props));
      json_node_take_object (node, object);
      line = sws_json_to_string (node, FALSE);
      g_print ("%s", line);
    }
  else
    g_print ("%s %s %s\n", stamp, event, text);
}

static const char *
str_or_empty (GVariant *props)
{
  const char *aor = NULL;

  g_variant_lookup (props, "Aor", "&s", &aor);
  return aor ? aor : "";
}

static GVariant *
properties_of (GDBusProxy *proxy)
{
  g_auto(GStrv) names = g_dbus_proxy_get_cached_property_names (proxy);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sv}"));
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_dbus_proxy_get_cached_property (proxy, names[i]);

      if (value != NULL)
        g_variant_builder_add (&builder, "{sv}", names[i], value);
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
on_object_added (GDBusObjectManager *manager,
                 GDBusObject        *object,
                 gpointer            user_data)
{
  Monitor *m = user_data;
  const char *path = g_dbus_object_get_object_path (object);
  g_autoptr(SwsDBusRegistration) reg = sws_dbus_object_get_registration (SWS_DBUS_OBJECT (object));
  g_autoptr(SwsDBusCall) call = sws_dbus_object_get_call (SWS_DBUS_OBJECT (object));

  if (reg != NULL)
    {
      g_autoptr(GVariant) props = properties_of (G_DBUS_PROXY (reg));
      g_autofree char *text = g_strdup_printf ("%s %s (%s) %s",
                                               sws_dbus_registration_get_aor (reg),
                                               sws_dbus_registration_get_contact (reg),
                                               sws_dbus_registration_get_remote_address (reg),
                                               path);

      emit (m, "registered", path, props, text);
    }
  if (call != NULL)
    {
      g_autoptr(GVariant) props = properties_of (G_DBUS_PROXY (call));
      g_autofree char *text = g_strdup_printf ("%s -> %s [%s] %s",
                                               sws_dbus_call_get_caller (call),
                                               sws_dbus_call_get_callee (call),
                                               sws_ctl_state_name (sws_dbus_call_get_state (call)), path);

      emit (m, "call", path, props, text);
    }
}

static void
on_proxy_signal (GDBusObjectManagerClient *manager,
                 GDBusObjectProxy         *object,
                 GDBusProxy               *proxy,
                 const char               *sender,
                 const char               *signal_name,
                 GVariant                 *parameters,
                 gpointer                  user_data)
{
  Monitor *m = user_data;
  const char *path = g_dbus_object_get_object_path (G_DBUS_OBJECT (object));
  g_autoptr(GVariant) props = properties_of (proxy);
  g_autofree char *text = NULL;

  if (g_str_equal (signal_name, "Removed"))
    {
      guint reason;

      g_variant_get (parameters, "(u)", &reason);
      text = g_strdup_printf ("%s (%s) %s", str_or_empty (props), removed_reason (reason), path);
      emit (m, "unregistered", path, props, text);
    }
  else if (g_str_equal (signal_name, "StateChanged"))
    {
      guint old_state, new_state, reason;

      g_variant_get (parameters, "(uuu)", &old_state, &new_state, &reason);
      text = g_strdup_printf ("%s -> %s (reason %u) %s", sws_ctl_state_name (old_state),
                              sws_ctl_state_name (new_state), reason, path);
      emit (m, "call-state", path, props, text);
    }
}

static gboolean
on_signal (gpointer user_data)
{
  Monitor *m = user_data;

  g_main_loop_quit (m->loop);
  return G_SOURCE_REMOVE;
}

static void
on_name_owner (GObject    *manager,
               GParamSpec *pspec,
               gpointer    user_data)
{
  Monitor *m = user_data;
  g_autofree char *owner = g_dbus_object_manager_client_get_name_owner (
                             G_DBUS_OBJECT_MANAGER_CLIENT (manager));

  if (owner == NULL)
    {
      g_printerr ("%s\n", _("sipwsd stopped"));
      m->status = 1;
      g_main_loop_quit (m->loop);
    }
}

int
sws_ctl_monitor (GDBusConnection *bus,
                 gboolean         json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusObjectManager) manager = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Monitor m = { loop, json, 0 };

  manager = sws_dbus_object_manager_client_new_sync (bus,
                                                     G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START,
                                                     "org.sipws.Server1", "/org/sipws/Server1",
                                                     NULL, &error);
  if (manager == NULL)
    {
      g_dbus_error_strip_remote_error (error);
      g_printerr ("sipwsctl: %s\n", error->message);
      return 1;
    }
  g_signal_connect (manager, "object-added", G_CALLBACK (on_object_added), &m);
  g_signal_connect (manager, "interface-proxy-signal", G_CALLBACK (on_proxy_signal), &m);
  g_signal_connect (manager, "notify::name-owner", G_CALLBACK (on_name_owner), &m);
  g_unix_signal_add (SIGINT, on_signal, &m);
  g_unix_signal_add (SIGTERM, on_signal, &m);

  if (!json)
    g_print ("%s\n", _("Watching sipwsd; Ctrl-C to stop."));
  g_main_loop_run (loop);
  g_signal_handlers_disconnect_by_data (manager, &m);
  return m.status;
}
