/* sws-ctl-monitor.c: `sipwsctl monitor`, events as they happen
 *
 * Everything comes through the daemon's ObjectManager: a Registration
 * object appearing is a new binding and its Removed signal says why it
 * went; a Call appearing is a new call, its StateChanged signals are the
 * call's life, and its object going (call-linger later) is the last word.
 * Refreshes of a binding emit nothing on the bus, so they are not events.
 */

#define G_LOG_DOMAIN "sipwsctl"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "sws-ctl-monitor.h"
#include "sws-ctl-output.h"
#include "sws-dbus-generated.h"
#include "sws-json.h"

typedef struct
{
  GMainLoop *loop;
  GDBusObjectManager *objects;
  gboolean json;
  /* Registrations whose Removed signal was printed: their object going
   * away right after is not news. */
  GHashTable *reported;
} Monitor;

/* "Call/3" for people; scripts get the whole path in JSON. */
static const char *
short_path (const char *path)
{
  return g_str_has_prefix (path, "/org/sipws/Server1/")
           ? path + strlen ("/org/sipws/Server1/") : path;
}

/* One event: a line of text, or a JSON object on one line with "time"
 * (µs since the epoch, like every time of the D-Bus API), "event", and
 * when an object is concerned, "path" and "object" (its properties).
 * `fields` adds event-specific members (may be NULL). */
static void
emit (Monitor    *m,
      const char *event,
      GDBusProxy *proxy,
      JsonObject *fields,
      const char *text)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (m->json)
    {
      g_autoptr(GVariant) properties = proxy ? sws_ctl_proxy_properties (proxy) : NULL;
      g_autoptr(JsonNode) node =
        sws_json_event_new (g_date_time_to_unix (now) * G_USEC_PER_SEC +
                              g_date_time_get_microsecond (now),
                            event, proxy ? g_dbus_proxy_get_object_path (proxy) : NULL,
                            properties, fields);

      sws_ctl_print_json (node, FALSE);
    }
  else
    {
      g_autofree char *stamp = g_date_time_format (now, "%H:%M:%S");

      /* g_print() flushes: `sipwsctl monitor | grep` sees lines live. */
      if (proxy != NULL)
        g_print ("%s.%03d %s %s (%s)\n", stamp, g_date_time_get_microsecond (now) / 1000,
                 event, text, short_path (g_dbus_proxy_get_object_path (proxy)));
      else
        g_print ("%s.%03d %s\n", stamp, g_date_time_get_microsecond (now) / 1000, event);
    }
}

static void
on_object_added (GDBusObjectManager *objects,
                 GDBusObject        *object,
                 gpointer            user_data)
{
  Monitor *m = user_data;
  SwsDBusRegistration *reg = sws_dbus_object_peek_registration (SWS_DBUS_OBJECT (object));
  SwsDBusCall *call = sws_dbus_object_peek_call (SWS_DBUS_OBJECT (object));

  if (reg != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s %s from %s",
                                               sws_dbus_registration_get_aor (reg),
                                               sws_dbus_registration_get_contact (reg),
                                               sws_dbus_registration_get_remote_address (reg));

      emit (m, "registered", G_DBUS_PROXY (reg), NULL, text);
    }
  if (call != NULL)
    {
      const char *state = sws_json_call_state_name (sws_dbus_call_get_state (call));
      g_autofree char *text = g_strdup_printf ("%s -> %s, %s", sws_dbus_call_get_caller (call),
                                               sws_dbus_call_get_callee (call), state);

      emit (m, "call-added", G_DBUS_PROXY (call), NULL, text);
    }
}

static void
on_object_removed (GDBusObjectManager *objects,
                   GDBusObject        *object,
                   gpointer            user_data)
{
  Monitor *m = user_data;
  const char *path = g_dbus_object_get_object_path (object);
  SwsDBusRegistration *reg = sws_dbus_object_peek_registration (SWS_DBUS_OBJECT (object));
  SwsDBusCall *call = sws_dbus_object_peek_call (SWS_DBUS_OBJECT (object));
  g_autofree char *owner = NULL;

  /* The daemon went away: the client drops every object after telling us
   * (name-owner first), and that was one event, not hundreds. */
  owner = g_dbus_object_manager_client_get_name_owner (G_DBUS_OBJECT_MANAGER_CLIENT (objects));
  if (owner == NULL)
    {
      g_hash_table_remove (m->reported, path);
      return;
    }

  if (reg != NULL && !g_hash_table_remove (m->reported, path))
    {
      g_autofree char *text = g_strdup_printf ("%s %s, %s", sws_dbus_registration_get_aor (reg),
                                               sws_dbus_registration_get_contact (reg),
                                               sws_json_removed_reason_name (0));

      emit (m, "unregistered", G_DBUS_PROXY (reg), NULL, text);
    }
  if (call != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s -> %s", sws_dbus_call_get_caller (call),
                                               sws_dbus_call_get_callee (call));

      emit (m, "call-removed", G_DBUS_PROXY (call), NULL, text);
    }
}

static void
on_removed (Monitor    *m,
            GDBusProxy *proxy,
            GVariant   *parameters)
{
  SwsDBusRegistration *reg = SWS_DBUS_REGISTRATION (proxy);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *text = NULL;
  const char *reason;
  guint code;

  g_variant_get (parameters, "(u)", &code);
  reason = sws_json_removed_reason_name (code);
  json_object_set_string_member (fields, "reason", reason);
  text = g_strdup_printf ("%s %s, %s", sws_dbus_registration_get_aor (reg),
                          sws_dbus_registration_get_contact (reg), reason);
  g_hash_table_add (m->reported, g_strdup (g_dbus_proxy_get_object_path (proxy)));
  emit (m, "unregistered", proxy, fields, text);
}

static void
on_state_changed (Monitor    *m,
                  GDBusProxy *proxy,
                  GVariant   *parameters)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *text = NULL;
  guint old_state, new_state, reason;

  g_variant_get (parameters, "(uuu)", &old_state, &new_state, &reason);
  json_object_set_string_member (fields, "old_state", sws_json_call_state_name (old_state));
  json_object_set_string_member (fields, "new_state", sws_json_call_state_name (new_state));
  json_object_set_string_member (fields, "reason", sws_json_call_reason_name (reason));
  text = g_strdup_printf ("%s -> %s, %s", sws_json_call_state_name (old_state),
                          sws_json_call_state_name (new_state), sws_json_call_reason_name (reason));
  emit (m, "call-state", proxy, fields, text);
}

static void
on_proxy_signal (GDBusObjectManagerClient *objects,
                 GDBusObjectProxy         *object,
                 GDBusProxy               *proxy,
                 const char               *sender,
                 const char               *signal_name,
                 GVariant                 *parameters,
                 gpointer                  user_data)
{
  Monitor *m = user_data;

  if (SWS_DBUS_IS_REGISTRATION (proxy) && g_str_equal (signal_name, "Removed") &&
      g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(u)")))
    on_removed (m, proxy, parameters);
  else if (SWS_DBUS_IS_CALL (proxy) && g_str_equal (signal_name, "StateChanged") &&
           g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(uuu)")))
    on_state_changed (m, proxy, parameters);
}

static void
on_name_owner (GObject    *objects,
               GParamSpec *pspec,
               gpointer    user_data)
{
  Monitor *m = user_data;
  g_autofree char *owner =
    g_dbus_object_manager_client_get_name_owner (G_DBUS_OBJECT_MANAGER_CLIENT (objects));

  /* Keep watching: a restarted daemon (systemd's Restart=on-failure) is
   * picked up again by the object manager client. */
  emit (m, owner != NULL ? "daemon-started" : "daemon-stopped", NULL, NULL, NULL);
}

static gboolean
on_unix_signal (gpointer user_data)
{
  Monitor *m = user_data;

  g_main_loop_quit (m->loop);
  return G_SOURCE_CONTINUE;
}

int
sws_ctl_monitor (GDBusObjectManager *objects,
                 gboolean            json)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Monitor m = { loop, objects, json, reported };
  guint sigint_id, sigterm_id;
  guint n_registrations = 0, n_calls = 0;
  GList *all;

  g_signal_connect (objects, "object-added", G_CALLBACK (on_object_added), &m);
  g_signal_connect (objects, "object-removed", G_CALLBACK (on_object_removed), &m);
  g_signal_connect (objects, "interface-proxy-signal", G_CALLBACK (on_proxy_signal), &m);
  g_signal_connect (objects, "notify::name-owner", G_CALLBACK (on_name_owner), &m);
  sigint_id = g_unix_signal_add (SIGINT, on_unix_signal, &m);
  sigterm_id = g_unix_signal_add (SIGTERM, on_unix_signal, &m);

  all = g_dbus_object_manager_get_objects (objects);
  for (GList *l = all; l != NULL; l = l->next)
    {
      if (sws_dbus_object_peek_registration (l->data) != NULL)
        n_registrations++;
      if (sws_dbus_object_peek_call (l->data) != NULL)
        n_calls++;
    }
  g_list_free_full (all, g_object_unref);

  /* On stderr, so that stdout is events only (and JSON only with
   * --json); the client is subscribed by now, nothing can be missed. */
  g_printerr (_("Watching sipwsd (registrations: %u, calls: %u); Ctrl-C stops.\n"),
              n_registrations, n_calls);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (objects, &m);
  return 0;
}
