/* sws-dbus-registration.h: a Registration on the bus, read live from the binding */
#pragma once

#include "sws-dbus-generated.h"
#include "sws-registration.h"

G_BEGIN_DECLS

#define SWS_TYPE_DBUS_REGISTRATION (sws_dbus_registration_impl_get_type ())
G_DECLARE_FINAL_TYPE (SwsDbusRegistrationImpl, sws_dbus_registration_impl,
                      SWS, DBUS_REGISTRATION_IMPL, SwsDBusRegistrationSkeleton)

SwsDBusRegistration *sws_dbus_registration_impl_new (SwsRegistration *registration);
SwsRegistration     *sws_dbus_registration_impl_get_registration (SwsDbusRegistrationImpl *self);

/* "/org/sipws/Server1/Registration/N", N the binding's id. */
char                *sws_dbus_registration_path (SwsRegistration *registration);
/* The properties as a{sv}, exactly as the bus shows them; needs no bus. */
GVariant            *sws_dbus_registration_properties (SwsRegistration *registration);

G_END_DECLS
