// libcurl, loaded when the first HTTP request is made rather than when logdx starts.
//
// The release binary links Foundation statically, and its URLSession (FoundationNetworking, by
// way of _CFURLSessionInterface) calls the 23 libcurl functions defined below. Linked with
// -lcurl, every start of logdx loaded libcurl and the 30 libraries it brings (TLS, Kerberos,
// LDAP, IDN...) and ran their initialisers: 3.5 ms of a 25 ms paste, for a library only
// `logdx ci` uses. These definitions stand in for libcurl's: the first call loads libcurl.so.4
// with dlopen and every call goes on to the real function. `logdx_libcurl_load` lets the caller
// (LibcurlLoader) load it before the first request, to report a missing libcurl as an error
// rather than as the NULL handles these stand-ins return then.
//
// The signatures are libcurl's (curl/curl.h, curl/multi.h, curl/urlapi.h of curl 7.62 and
// later): its enums are ints, its handles opaque pointers. The variadic setters and getters take
// one argument after the option, which curl reads as a long, a curl_off_t, a pointer or a
// function pointer: all passed in integer registers or 8-byte stack slots by the x86-64 and
// AArch64 calling conventions, so it is forwarded as one pointer-sized value.

#define _GNU_SOURCE
#include "libcurl_on_demand.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define LIBCURL_FUNCTIONS(X) \
    X(void *, curl_easy_init, (void), ()) \
    X(void, curl_easy_cleanup, (void *handle), (handle)) \
    X(int, curl_easy_pause, (void *handle, int bitmask), (handle, bitmask)) \
    X(const char *, curl_easy_strerror, (int code), (code)) \
    X(void, curl_free, (void *pointer), (pointer)) \
    X(int, curl_global_init, (long flags), (flags)) \
    X(int, curl_multi_add_handle, (void *multi, void *easy), (multi, easy)) \
    X(int, curl_multi_assign, (void *multi, int socket, void *pointer), (multi, socket, pointer)) \
    X(int, curl_multi_cleanup, (void *multi), (multi)) \
    X(void *, curl_multi_info_read, (void *multi, int *queued), (multi, queued)) \
    X(void *, curl_multi_init, (void), ()) \
    X(int, curl_multi_remove_handle, (void *multi, void *easy), (multi, easy)) \
    X(int, curl_multi_socket_action, (void *multi, int socket, int events, int *running), (multi, socket, events, running)) \
    X(void *, curl_slist_append, (void *list, const char *text), (list, text)) \
    X(void, curl_slist_free_all, (void *list), (list)) \
    X(void *, curl_url, (void), ()) \
    X(int, curl_url_get, (void *url, int part, char **value, unsigned int flags), (url, part, value, flags)) \
    X(int, curl_url_set, (void *url, int part, const char *value, unsigned int flags), (url, part, value, flags)) \
    X(char *, curl_version, (void), ()) \
    X(void *, curl_version_info, (int age), (age))

#define VARIADIC_FUNCTIONS(X) \
    X(curl_easy_setopt) \
    X(curl_easy_getinfo) \
    X(curl_multi_setopt)

#define DECLARE_POINTER(result, name, parameters, arguments) static result (*real_##name) parameters;
LIBCURL_FUNCTIONS(DECLARE_POINTER)
#define DECLARE_VARIADIC_POINTER(name) static int (*real_##name)(void *, int, ...);
VARIADIC_FUNCTIONS(DECLARE_VARIADIC_POINTER)

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded;
static char load_failure[512];

static void load(void) {
    // Debian's runtime package (libcurl4, libcurl3-gnutls) names it libcurl.so.4, as does every
    // libcurl since 7.16; the unversioned name exists only with the development package.
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *error = dlerror();
        snprintf(load_failure, sizeof load_failure, "%s", error != NULL ? error : "libcurl.so.4 could not be loaded");
        return;
    }
#define RESOLVE(name) \
    *(void **)(&real_##name) = dlsym(library, #name); \
    if (real_##name == NULL) { \
        snprintf(load_failure, sizeof load_failure, "libcurl.so.4 has no %s (libcurl 7.62 or later is needed)", #name); \
        return; \
    }
#define RESOLVE_FUNCTION(result, name, parameters, arguments) RESOLVE(name)
    LIBCURL_FUNCTIONS(RESOLVE_FUNCTION)
    VARIADIC_FUNCTIONS(RESOLVE)
    loaded = 1;
}

int logdx_libcurl_load(char *reason, size_t reason_size) {
    pthread_once(&load_once, load);
    if (!loaded && reason != NULL && reason_size > 0) snprintf(reason, reason_size, "%s", load_failure);
    return loaded;
}

static int ready(void) {
    pthread_once(&load_once, load);
    return loaded;
}

// Without libcurl: no handle, an error code, or nothing. The libcurl error codes are those of
// curl/curl.h: CURLE_FAILED_INIT (2), CURLM_INTERNAL_ERROR (4), CURLUE_OUT_OF_MEMORY (7).

void *curl_easy_init(void) { return ready() ? real_curl_easy_init() : NULL; }
void curl_easy_cleanup(void *handle) { if (ready()) real_curl_easy_cleanup(handle); }
int curl_easy_pause(void *handle, int bitmask) { return ready() ? real_curl_easy_pause(handle, bitmask) : 2; }
const char *curl_easy_strerror(int code) { return ready() ? real_curl_easy_strerror(code) : "libcurl is not loaded"; }
void curl_free(void *pointer) { if (ready()) real_curl_free(pointer); }
int curl_global_init(long flags) { return ready() ? real_curl_global_init(flags) : 2; }
int curl_multi_add_handle(void *multi, void *easy) { return ready() ? real_curl_multi_add_handle(multi, easy) : 4; }
int curl_multi_assign(void *multi, int socket, void *pointer) { return ready() ? real_curl_multi_assign(multi, socket, pointer) : 4; }
int curl_multi_cleanup(void *multi) { return ready() ? real_curl_multi_cleanup(multi) : 4; }
void *curl_multi_info_read(void *multi, int *queued) {
    if (ready()) return real_curl_multi_info_read(multi, queued);
    if (queued != NULL) *queued = 0;
    return NULL;
}
void *curl_multi_init(void) { return ready() ? real_curl_multi_init() : NULL; }
int curl_multi_remove_handle(void *multi, void *easy) { return ready() ? real_curl_multi_remove_handle(multi, easy) : 4; }
int curl_multi_socket_action(void *multi, int socket, int events, int *running) {
    return ready() ? real_curl_multi_socket_action(multi, socket, events, running) : 4;
}
void *curl_slist_append(void *list, const char *text) { return ready() ? real_curl_slist_append(list, text) : NULL; }
void curl_slist_free_all(void *list) { if (ready()) real_curl_slist_free_all(list); }
void *curl_url(void) { return ready() ? real_curl_url() : NULL; }
int curl_url_get(void *url, int part, char **value, unsigned int flags) { return ready() ? real_curl_url_get(url, part, value, flags) : 7; }
int curl_url_set(void *url, int part, const char *value, unsigned int flags) { return ready() ? real_curl_url_set(url, part, value, flags) : 7; }
char *curl_version(void) { return ready() ? real_curl_version() : (char *)"libcurl (not loaded)"; }
void *curl_version_info(int age) { return ready() ? real_curl_version_info(age) : NULL; }

#define FORWARD_VARIADIC(name, failure) \
    int name(void *handle, int option, ...) { \
        if (!ready()) return failure; \
        va_list arguments; \
        va_start(arguments, option); \
        void *value = va_arg(arguments, void *); \
        va_end(arguments); \
        return real_##name(handle, option, value); \
    }
FORWARD_VARIADIC(curl_easy_setopt, 2)
FORWARD_VARIADIC(curl_easy_getinfo, 2)
FORWARD_VARIADIC(curl_multi_setopt, 4)
