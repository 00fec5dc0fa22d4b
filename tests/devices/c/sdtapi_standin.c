/* A stand-in for a vendor's SDTAPI library (sdtapi.h), for the driver tests.
 * Behaviour: see standin_cards.h. Return codes: 0x90 success, 0x9F card found, 0x80 no card,
 * 0x81 select failed, 0x41 read failed, 0x02 reader not answering, 0x01 port not opened. */
#include "standin_cards.h"

#define WORD 32

int SDT_OpenPort(int port) {
    char word[WORD];
    standin_scenario(word, sizeof word);
    return (port <= 0 || standin_is(word, "no_port")) ? 0x01 : 0x90;
}

int SDT_ClosePort(int port) { (void)port; return 0x90; }

int SDT_StartFindIDCard(int port, unsigned char *mana, int if_open) {
    char word[WORD];
    (void)port; (void)if_open;
    standin_scenario(word, sizeof word);
    memset(mana, 0, 8);
    if (standin_is(word, "error")) return 0x02;
    if (standin_is(word, "none") || standin_is(word, "no_port")) return 0x80;
    return 0x9F;
}

int SDT_SelectIDCard(int port, unsigned char *mana, int if_open) {
    (void)port; (void)mana; (void)if_open;
    return 0x90;
}

int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *text_len,
                    unsigned char *photo, unsigned int *photo_len, int if_open) {
    char word[WORD];
    (void)port; (void)if_open;
    standin_scenario(word, sizeof word);
    if (*text_len < STANDIN_MESSAGE_SIZE || !standin_message(word, text)) return 0x41;
    *text_len = STANDIN_MESSAGE_SIZE;
    if (*photo_len >= 1024) { memset(photo, 0, 1024); *photo_len = 1024; }
    return 0x90;
}
