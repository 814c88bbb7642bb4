/* config.h: written by make from VERSION and ./configure; do not edit. */
#define PARKBOX_VERSION "0.1.0"
#define PARKBOX_SYSCONFDIR "/usr/local/etc"
