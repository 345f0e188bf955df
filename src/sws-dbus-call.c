/* sws-dbus-call.c: a Call as the bus shows it
 *
 * One mapping from SwsCall to the org.sipws.Server1.Call properties,
 * used by the bridge for the exported objects and by the HTTP API for
 * its JSON, so that the two cannot disagree.
 */

#define G_LOG_DOMAIN "sws-dbus"

#include "config.h"

#include "sws-dbus-call.h"
#include "sws-dbus-registration.h"
#include "sws-registration.h"

char *
sws_dbus_call_path (SwsCall *call)
{
  return g_strdup_printf ("/org/sipws/Server1/Call/%" G_GUINT64_FORMAT, sws_call_get_id (call));
}

/* A registration's path while the binding lives; "/" (no object) once
 * it is gone or when the party never registered. */
static void
set_registration_path (SwsDBusCall *iface,
                       GObject     *registration,
                       void       (*setter) (SwsDBusCall *, const char *))
{
  g_autofree char *path = NULL;

  if (registration != NULL && !sws_registration_is_removed (SWS_REGISTRATION (registration)))
    path = sws_dbus_registration_path (SWS_REGISTRATION (registration));
  setter (iface, path != NULL ? path : "/");
}

void
sws_dbus_call_sync (SwsDBusCall *iface,
                    SwsCall     *call)
{
  GObject *caller = sws_call_get_caller_registration (call);
  GObject *callee = sws_call_get_callee_registration (call);

  g_object_freeze_notify (G_OBJECT (iface));
  sws_dbus_call_set_state (iface, sws_call_get_state (call));
  sws_dbus_call_set_state_reason (iface, sws_call_get_state_reason (call));
  sws_dbus_call_set_answer_time (iface, (guint64) sws_call_get_answer_time (call));
  sws_dbus_call_set_end_time (iface, (guint64) sws_call_get_end_time (call));
  sws_dbus_call_set_termination_code (iface, sws_call_get_termination_code (call));
  sws_dbus_call_set_terminated_by (iface, sws_call_get_terminated_by (call));
  set_registration_path (iface, caller, sws_dbus_call_set_caller_registration);
  set_registration_path (iface, callee, sws_dbus_call_set_callee_registration);
  g_object_thaw_notify (G_OBJECT (iface));
}

SwsDBusCall *
sws_dbus_call_new (SwsCall *call)
{
  SwsDBusCall *iface = sws_dbus_call_skeleton_new ();

  sws_dbus_call_set_call_id (iface, sws_call_get_call_id (call));
  sws_dbus_call_set_caller (iface, sws_call_get_caller (call));
  sws_dbus_call_set_callee (iface, sws_call_get_callee (call));
  sws_dbus_call_set_start_time (iface, (guint64) sws_call_get_start_time (call));
  sws_dbus_call_sync (iface, call);
  g_object_set_data_full (G_OBJECT (iface), "sws-call", g_object_ref (call), g_object_unref);
  return iface;
}

SwsCall *
sws_dbus_call_get_call (SwsDBusCall *iface)
{
  return g_object_get_data (G_OBJECT (iface), "sws-call");
}

GVariant *
sws_dbus_call_properties (SwsCall *call)
{
  g_autoptr(SwsDBusCall) iface = sws_dbus_call_new (call);

  return g_dbus_interface_skeleton_get_properties (G_DBUS_INTERFACE_SKELETON (iface));
}
