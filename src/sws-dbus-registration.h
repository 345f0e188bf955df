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

G_END_DECLS
