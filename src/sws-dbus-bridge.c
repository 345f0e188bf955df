/* sws-dbus-bridge.c: the daemon's objects on the session bus
 *
 * The one place that knows D-Bus. It follows the registrar and the proxy
 * through their signals and mirrors every binding and call as an object
 * under an ObjectManager; method calls come back here and go to the
 * domain objects. Domain objects never learn they are exported.
 */

#define G_LOG_DOMAIN "sws-dbus"

#include "config.h"

#include <glib/gi18n.h>

#include "sip/sws-sip-uri.h"
#include "sws-dbus-bridge.h"
#include "sws-dbus-call.h"
#include "sws-dbus-generated.h"
#include "sws-dbus-manager.h"
#include "sws-dbus-registration.h"

struct _SwsDbusBridge
{
  GObject parent_instance;

  SwsServer *server;
  SwsReloadFunc reload;
  gpointer reload_data;

  GDBusConnection *connection;
  GDBusObjectManagerServer *manager;
  SwsDBusManager *manager_iface;
  guint name_id;
  gboolean name_lost_logged;

  GHashTable *registrations;   /* SwsRegistration -> SwsDBusObjectSkeleton */
  GHashTable *calls;           /* SwsCall -> SwsDBusObjectSkeleton */
};

G_DEFINE_FINAL_TYPE (SwsDbusBridge, sws_dbus_bridge, G_TYPE_OBJECT)

static const GDBusErrorEntry error_entries[] = {
  { SWS_DBUS_ERROR_NOT_FOUND, "org.sipws.Server1.Error.NotFound" },
  { SWS_DBUS_ERROR_WRONG_STATE, "org.sipws.Server1.Error.WrongState" },
  { SWS_DBUS_ERROR_FAILED, "org.sipws.Server1.Error.Failed" },
  { SWS_DBUS_ERROR_INVALID_ARGS, "org.sipws.Server1.Error.InvalidArgs" },
};

GQuark
sws_dbus_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("sws-dbus-error-quark", &quark,
                                      error_entries, G_N_ELEMENTS (error_entries));
  return (GQuark) quark;
}

/* ---- registrations ------------------------------------------------------ */

static gboolean
on_handle_remove (SwsDBusRegistration   *iface,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  SwsDbusBridge *self = user_data;
  SwsRegistration *reg =
    sws_dbus_registration_impl_get_registration (SWS_DBUS_REGISTRATION_IMPL (iface));

  g_message ("Registration %s of %s removed over D-Bus",
             sws_registration_get_contact (reg), sws_registration_get_aor (reg));
  sws_dbus_registration_complete_remove (iface, invocation);
  sws_registrar_remove (sws_server_get_registrar (self->server), reg, SWS_REMOVED_ADMINISTRATIVE);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_registration_added (SwsRegistrar    *registrar,
                       SwsRegistration *reg,
                       gpointer         user_data)
{
  SwsDbusBridge *self = user_data;
  g_autofree char *path = sws_dbus_registration_path (reg);
  g_autoptr(SwsDBusObjectSkeleton) object = sws_dbus_object_skeleton_new (path);
  g_autoptr(SwsDBusRegistration) iface = sws_dbus_registration_impl_new (reg);

  g_signal_connect (iface, "handle-remove", G_CALLBACK (on_handle_remove), self);
  sws_dbus_object_skeleton_set_registration (object, iface);
  g_hash_table_insert (self->registrations, g_object_ref (reg), g_object_ref (object));
  g_dbus_object_manager_server_export (self->manager, G_DBUS_OBJECT_SKELETON (object));
}

static void
on_registration_removed (SwsRegistrar    *registrar,
                         SwsRegistration *reg,
                         guint            reason,
                         gpointer         user_data)
{
  SwsDbusBridge *self = user_data;
  SwsDBusObjectSkeleton *object = g_hash_table_lookup (self->registrations, reg);
  g_autoptr(SwsDBusRegistration) iface = NULL;

  if (object == NULL)
    return;
  iface = sws_dbus_object_get_registration (SWS_DBUS_OBJECT (object));
  sws_dbus_registration_emit_removed (iface, reason);
  g_dbus_object_manager_server_unexport (self->manager,
                                         g_dbus_object_get_object_path (G_DBUS_OBJECT (object)));
  g_signal_handlers_disconnect_by_data (iface, self);
  g_hash_table_remove (self->registrations, reg);
}

/* ---- calls -------------------------------------------------------------- */

static void
on_call_notify (SwsCall    *call,
                GParamSpec *pspec,
                gpointer    user_data)
{
  SwsDbusBridge *self = user_data;
  SwsDBusObjectSkeleton *object = g_hash_table_lookup (self->calls, call);
  g_autoptr(SwsDBusCall) iface = NULL;

  if (object == NULL)
    return;
  iface = sws_dbus_object_get_call (SWS_DBUS_OBJECT (object));
  sws_dbus_call_sync (iface, call);
}

static void
on_call_state_changed (SwsCall *call,
                       guint    old_state,
                       guint    new_state,
                       guint    reason,
                       gpointer user_data)
{
  SwsDbusBridge *self = user_data;
  SwsDBusObjectSkeleton *object = g_hash_table_lookup (self->calls, call);
  g_autoptr(SwsDBusCall) iface = NULL;

  if (object == NULL)
    return;
  iface = sws_dbus_object_get_call (SWS_DBUS_OBJECT (object));
  sws_dbus_call_sync (iface, call);
  /* Properties first, so that a client reacting to the signal reads the
   * new values. */
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (iface));
  sws_dbus_call_emit_state_changed (iface, old_state, new_state, reason);
}

static gboolean
on_handle_hangup (SwsDBusCall           *iface,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  SwsCall *call = sws_dbus_call_get_call (iface);

  if (call == NULL || !sws_call_hangup (call))
    {
      g_dbus_method_invocation_return_error (invocation, SWS_DBUS_ERROR,
                                             SWS_DBUS_ERROR_WRONG_STATE,
                                             _("The call has already ended"));
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  g_message ("Call %s hung up over D-Bus", sws_call_get_call_id (call));
  sws_dbus_call_complete_hangup (iface, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_call_added (SwsProxy *proxy,
               SwsCall  *call,
               gpointer  user_data)
{
  SwsDbusBridge *self = user_data;
  g_autofree char *path = sws_dbus_call_path (call);
  g_autoptr(SwsDBusObjectSkeleton) object = sws_dbus_object_skeleton_new (path);
  g_autoptr(SwsDBusCall) iface = sws_dbus_call_new (call);

  g_signal_connect (iface, "handle-hangup", G_CALLBACK (on_handle_hangup), self);
  g_signal_connect (call, "state-changed", G_CALLBACK (on_call_state_changed), self);
  g_signal_connect (call, "notify::callee-registration", G_CALLBACK (on_call_notify), self);

  sws_dbus_object_skeleton_set_call (object, iface);
  g_hash_table_insert (self->calls, g_object_ref (call), g_object_ref (object));
  g_dbus_object_manager_server_export (self->manager, G_DBUS_OBJECT_SKELETON (object));
}

static void
on_call_removed (SwsProxy *proxy,
                 SwsCall  *call,
                 gpointer  user_data)
{
  SwsDbusBridge *self = user_data;
  SwsDBusObjectSkeleton *object = g_hash_table_lookup (self->calls, call);

  if (object == NULL)
    return;
  g_signal_handlers_disconnect_by_data (call, self);
  g_dbus_object_manager_server_unexport (self->manager,
                                         g_dbus_object_get_object_path (G_DBUS_OBJECT (object)));
  g_hash_table_remove (self->calls, call);
}

/* ---- manager ------------------------------------------------------------ */

static gboolean
on_handle_lookup_aor (SwsDBusManager        *iface,
                      GDBusMethodInvocation *invocation,
                      const char            *aor,
                      gpointer               user_data)
{
  SwsDbusBridge *self = user_data;
  g_autofree char *text = strchr (aor, ':') ? g_strdup (aor) : g_strconcat ("sip:", aor, NULL);
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autofree char *key = NULL;
  GPtrArray *bindings;
  SwsUri uri;

  if (!sws_uri_parse (sws_str_c (text), &uri, NULL) ||
      (uri.scheme != SWS_URI_SCHEME_SIP && uri.scheme != SWS_URI_SCHEME_SIPS) ||
      !SWS_STR_IS_SET (uri.user))
    {
      g_dbus_method_invocation_return_error (invocation, SWS_DBUS_ERROR,
                                             SWS_DBUS_ERROR_INVALID_ARGS,
                                             _("“%s” is not an address-of-record; "
                                               "give one like sip:alice@example.com"), aor);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  key = sws_uri_to_aor (&uri);
  bindings = sws_registrar_lookup (sws_server_get_registrar (self->server), key);
  for (guint i = 0; bindings != NULL && i < bindings->len; i++)
    {
      SwsDBusObjectSkeleton *object = g_hash_table_lookup (self->registrations, bindings->pdata[i]);

      if (object != NULL)
        g_ptr_array_add (paths, (gpointer) g_dbus_object_get_object_path (G_DBUS_OBJECT (object)));
    }
  if (paths->len == 0)
    {
      g_dbus_method_invocation_return_error (invocation, SWS_DBUS_ERROR,
                                             SWS_DBUS_ERROR_NOT_FOUND,
                                             _("Nothing is registered for %s"), key);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  g_ptr_array_add (paths, NULL);
  sws_dbus_manager_complete_lookup_aor (iface, invocation, (const char * const *) paths->pdata);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_reload (SwsDBusManager        *iface,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  SwsDbusBridge *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->reload == NULL || !self->reload (self->reload_data, &error))
    {
      g_dbus_method_invocation_return_error (invocation, SWS_DBUS_ERROR, SWS_DBUS_ERROR_FAILED,
                                             _("Reload failed, the running configuration "
                                               "stays: %s"),
                                             error ? error->message : _("reload is not available"));
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  sws_dbus_manager_complete_reload (iface, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
sws_dbus_bridge_config_changed (SwsDbusBridge *self)
{
  if (self->manager_iface != NULL)
    sws_dbus_manager_set_domains (self->manager_iface,
                                  sws_config_get_domains (sws_server_get_config (self->server)));
}

/* ---- name --------------------------------------------------------------- */

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  g_info ("Owning %s on the session bus", name);
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  SwsDbusBridge *self = user_data;

  /* SIP goes on either way; say it once. */
  if (!self->name_lost_logged)
    g_warning ("Cannot own %s on the session bus (another sipwsd running?); "
               "SIP service continues without it", name);
  self->name_lost_logged = TRUE;
}

/* ---- object ------------------------------------------------------------- */

static void
sws_dbus_bridge_dispose (GObject *object)
{
  SwsDbusBridge *self = SWS_DBUS_BRIDGE (object);

  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (sws_server_get_registrar (self->server), self);
      g_signal_handlers_disconnect_by_data (sws_server_get_proxy (self->server), self);
    }
  if (self->calls != NULL)
    {
      GHashTableIter iter;
      gpointer call;

      g_hash_table_iter_init (&iter, self->calls);
      while (g_hash_table_iter_next (&iter, &call, NULL))
        g_signal_handlers_disconnect_by_data (call, self);
    }
  if (self->name_id != 0)
    {
      g_bus_unown_name (self->name_id);
      self->name_id = 0;
    }
  if (self->manager_iface != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->manager_iface));
  g_clear_object (&self->manager_iface);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->registrations, g_hash_table_unref);
  g_clear_pointer (&self->calls, g_hash_table_unref);
  g_clear_object (&self->connection);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (sws_dbus_bridge_parent_class)->dispose (object);
}

static void
sws_dbus_bridge_class_init (SwsDbusBridgeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sws_dbus_bridge_dispose;
}

static void
sws_dbus_bridge_init (SwsDbusBridge *self)
{
  self->registrations = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->calls = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
}

SwsDbusBridge *
sws_dbus_bridge_new (SwsServer     *server,
                     SwsReloadFunc  reload,
                     gpointer       reload_data)
{
  SwsDbusBridge *self = g_object_new (SWS_TYPE_DBUS_BRIDGE, NULL);

  self->server = g_object_ref (server);
  self->reload = reload;
  self->reload_data = reload_data;
  return self;
}

gboolean
sws_dbus_bridge_start (SwsDbusBridge    *self,
                       GDBusConnection  *connection,
                       GError          **error)
{
  g_return_val_if_fail (SWS_IS_DBUS_BRIDGE (self), FALSE);
  g_return_val_if_fail (self->connection == NULL, FALSE);

  if (connection != NULL)
    self->connection = g_object_ref (connection);
  else if ((self->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error)) == NULL)
    return FALSE;

  /* Make sure the error domain maps to D-Bus names before any call. */
  (void) SWS_DBUS_ERROR;

  self->manager_iface = sws_dbus_manager_impl_new (self->server);
  g_signal_connect (self->manager_iface, "handle-lookup-aor",
                    G_CALLBACK (on_handle_lookup_aor), self);
  g_signal_connect (self->manager_iface, "handle-reload", G_CALLBACK (on_handle_reload), self);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->manager_iface),
                                         self->connection, SWS_DBUS_PATH, error))
    return FALSE;

  self->manager = g_dbus_object_manager_server_new (SWS_DBUS_PATH);
  g_dbus_object_manager_server_set_connection (self->manager, self->connection);

  /* Bindings made before the bus came up (none in practice) are mirrored
   * too, so the tree is complete. */
  {
    g_autoptr(GPtrArray) all = sws_registrar_list (sws_server_get_registrar (self->server));

    for (guint i = 0; i < all->len; i++)
      on_registration_added (NULL, all->pdata[i], self);
  }
  g_signal_connect (sws_server_get_registrar (self->server), "registration-added",
                    G_CALLBACK (on_registration_added), self);
  g_signal_connect (sws_server_get_registrar (self->server), "registration-removed",
                    G_CALLBACK (on_registration_removed), self);
  g_signal_connect (sws_server_get_proxy (self->server), "call-added",
                    G_CALLBACK (on_call_added), self);
  g_signal_connect (sws_server_get_proxy (self->server), "call-removed",
                    G_CALLBACK (on_call_removed), self);

  self->name_id = g_bus_own_name_on_connection (self->connection, SWS_DBUS_NAME,
                                                G_BUS_NAME_OWNER_FLAGS_NONE,
                                                on_name_acquired, on_name_lost,
                                                self, NULL);
  return TRUE;
}
