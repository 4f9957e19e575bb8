/* sha256.h — SHA-256 (FIPS 180-4) of a buffer, for the config fingerprint. */
#ifndef INCUBSIM_SHA256_H
#define INCUBSIM_SHA256_H

#include <stddef.h>

/* Writes 64 lowercase hex digits and a NUL into hex[65]. */
void sha256_hex(const void *data, size_t len, char hex[65]);

#endif
