/* sws-dbus-registration.c: a Registration on the bus, read live from the binding
 *
 * The properties a refresh changes (Expires, CallId, CSeq, Q, UserAgent)
 * are read from the SwsRegistration whenever a client asks, so a REGISTER
 * refresh costs the bus nothing: no PropertiesChanged, no copying. The
 * fixed ones are set once at export.
 */

#define G_LOG_DOMAIN "sws-dbus"

#include "config.h"

#include "sws-dbus-registration.h"

struct _SwsDbusRegistrationImpl
{
  SwsDBusRegistrationSkeleton parent_instance;

  SwsRegistration *registration;
};

G_DEFINE_FINAL_TYPE (SwsDbusRegistrationImpl, sws_dbus_registration_impl,
                     SWS_DBUS_TYPE_REGISTRATION_SKELETON)

enum {
  PROP_0,
  PROP_EXPIRES,
  PROP_CALL_ID,
  PROP_CSEQ,
  PROP_Q,
  PROP_USER_AGENT,
  N_PROPS
};

static void
sws_dbus_registration_impl_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  SwsDbusRegistrationImpl *self = SWS_DBUS_REGISTRATION_IMPL (object);
  SwsRegistration *reg = self->registration;

  switch (prop_id)
    {
    case PROP_EXPIRES:
      g_value_set_uint64 (value, (guint64) sws_registration_get_expires (reg));
      break;
    case PROP_CALL_ID:
      g_value_set_string (value, sws_registration_get_call_id (reg));
      break;
    case PROP_CSEQ:
      g_value_set_uint (value, sws_registration_get_cseq (reg));
      break;
    case PROP_Q:
      g_value_set_double (value, sws_registration_get_q (reg) / 1000.0);
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, sws_registration_get_user_agent (reg));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sws_dbus_registration_impl_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  /* Read-only on the bus; nothing in the daemon sets them either. */
}

static void
sws_dbus_registration_impl_finalize (GObject *object)
{
  SwsDbusRegistrationImpl *self = SWS_DBUS_REGISTRATION_IMPL (object);

  g_clear_object (&self->registration);

  G_OBJECT_CLASS (sws_dbus_registration_impl_parent_class)->finalize (object);
}

static void
sws_dbus_registration_impl_class_init (SwsDbusRegistrationImplClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sws_dbus_registration_impl_get_property;
  object_class->set_property = sws_dbus_registration_impl_set_property;
  object_class->finalize = sws_dbus_registration_impl_finalize;

  /* Overriding makes GObject ask us, not the skeleton's cached copy. */
  g_object_class_override_property (object_class, PROP_EXPIRES, "expires");
  g_object_class_override_property (object_class, PROP_CALL_ID, "call-id");
  g_object_class_override_property (object_class, PROP_CSEQ, "cseq");
  g_object_class_override_property (object_class, PROP_Q, "q");
  g_object_class_override_property (object_class, PROP_USER_AGENT, "user-agent");
}

static void
sws_dbus_registration_impl_init (SwsDbusRegistrationImpl *self)
{
}

SwsDBusRegistration *
sws_dbus_registration_impl_new (SwsRegistration *registration)
{
  SwsDbusRegistrationImpl *self = g_object_new (SWS_TYPE_DBUS_REGISTRATION, NULL);
  SwsDBusRegistration *iface = SWS_DBUS_REGISTRATION (self);

  self->registration = g_object_ref (registration);
  sws_dbus_registration_set_aor (iface, sws_registration_get_aor (registration));
  sws_dbus_registration_set_contact (iface, sws_registration_get_contact (registration));
  sws_dbus_registration_set_instance_id (iface, sws_registration_get_instance_id (registration));
  sws_dbus_registration_set_reg_id (iface, sws_registration_get_reg_id (registration));
  sws_dbus_registration_set_registered_at (iface,
                                           (guint64) sws_registration_get_registered_at (registration));
  sws_dbus_registration_set_remote_address (iface,
                                            sws_registration_get_remote_address (registration));
  sws_dbus_registration_set_transport (iface, sws_registration_get_transport (registration));
  return iface;
}

SwsRegistration *
sws_dbus_registration_impl_get_registration (SwsDbusRegistrationImpl *self)
{
  return self->registration;
}

char *
sws_dbus_registration_path (SwsRegistration *registration)
{
  return g_strdup_printf ("/org/sipws/Server1/Registration/%" G_GUINT64_FORMAT,
                          sws_registration_get_id (registration));
}

GVariant *
sws_dbus_registration_properties (SwsRegistration *registration)
{
  g_autoptr(SwsDBusRegistration) iface = sws_dbus_registration_impl_new (registration);

  return g_dbus_interface_skeleton_get_properties (G_DBUS_INTERFACE_SKELETON (iface));
}
