/* The cards the stand-in reader libraries serve, chosen by a scenario file.
 *
 * The file named by the environment variable REDSTATION_STANDIN_CARD holds one word (read at
 * every call, so a test changes the card without reloading the library):
 *   none       no card on the reader (also when the variable or the file is missing)
 *   error      the reader does not answer
 *   no_port    the port cannot be opened
 *   removed    the card is found and selected, then taken away before the read completes
 *   card       a normal card (长期 validity)
 *   expired    a card whose validity ended in 2020
 *   long_name  a 15-character name that fills the 30-byte field
 *   hk_macao   a 港澳居民居住证 (no nation)
 *   taiwan     a 台湾居民居住证 (no nation)
 *   garbled    a card whose birth date is not a date
 *
 * The base message is built here from UTF-16 literals, independently of the Python test
 * encoder, so that a layout mistake shared by the decoder and that encoder is still caught.
 */
#ifndef STANDIN_CARDS_H
#define STANDIN_CARDS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#define STANDIN_MESSAGE_SIZE 256

static void standin_scenario(char *word, size_t size) {
    const char *path = getenv("REDSTATION_STANDIN_CARD");
    FILE *f = path ? fopen(path, "r") : NULL;
    snprintf(word, size, "none");
    if (!f) return;
    if (fgets(word, (int)size, f) == NULL) snprintf(word, size, "none");
    fclose(f);
    word[strcspn(word, " \r\n")] = '\0';
}

static int standin_is(const char *word, const char *name) { return strcmp(word, name) == 0; }

/* Write text at offset as UTF-16LE, padded with spaces to size bytes. */
static size_t standin_put(unsigned char *out, size_t offset, size_t size, const char16_t *text) {
    size_t i = 0;
    for (; text[i] != 0 && 2 * i + 1 < size; i++) {
        out[offset + 2 * i] = (unsigned char)(text[i] & 0xFF);
        out[offset + 2 * i + 1] = (unsigned char)(text[i] >> 8);
    }
    for (; 2 * i + 1 < size; i++) {
        out[offset + 2 * i] = 0x20;
        out[offset + 2 * i + 1] = 0x00;
    }
    return offset + size;
}

struct standin_card {
    const char16_t *name, *sex, *nation, *birth, *address, *number, *issuer, *from, *until,
        *reserved;
};

static const struct standin_card STANDIN_CARDS[] = {
    {u"张三丰", u"1", u"01", u"19600101", u"湖北省武汉市汉阳区琴断口街道七里一村12栋3单元201",
     u"42010519600101001X", u"武汉市公安局汉阳分局", u"20150101", u"长期", u""},
    {u"李四", u"1", u"01", u"19500601", u"湖北省武汉市汉阳区建桥街道知音小区5栋1单元302",
     u"420105195006010313", u"武汉市公安局汉阳分局", u"20000101", u"20200101", u""},
    {u"阿依古丽·买买提艾力·吐尔逊江", u"2", u"05", u"19580308",
     u"新疆乌鲁木齐市天山区团结路8号", u"65010219580308022X", u"乌鲁木齐市公安局天山区分局",
     u"20100101", u"长期", u""},
    {u"陈大文", u"1", u"", u"19850715", u"湖北省武汉市汉阳区四新街道芳草路3号",
     u"810000198507150137", u"武汉市公安局汉阳分局", u"20240901", u"20290901", u"H12345678"},
    {u"林美玲", u"2", u"", u"19791130", u"湖北省武汉市汉阳区江堤街道江城大道6号",
     u"830000197911300247", u"武汉市公安局汉阳分局", u"20230101", u"20330101", u"01234567"},
    {u"王五", u"1", u"01", u"1960AB01", u"湖北省武汉市汉阳区",
     u"42010519600101001X", u"武汉市公安局汉阳分局", u"20150101", u"长期", u""},
};
static const char *STANDIN_CARD_WORDS[] = {"card", "expired", "long_name", "hk_macao", "taiwan",
                                           "garbled"};

/* 1 and the message in out when the scenario is a card, else 0. */
static int standin_message(const char *word, unsigned char out[STANDIN_MESSAGE_SIZE]) {
    for (size_t i = 0; i < sizeof STANDIN_CARD_WORDS / sizeof *STANDIN_CARD_WORDS; i++) {
        if (!standin_is(word, STANDIN_CARD_WORDS[i])) continue;
        const struct standin_card *c = &STANDIN_CARDS[i];
        size_t at = 0;
        at = standin_put(out, at, 30, c->name);
        at = standin_put(out, at, 2, c->sex);
        at = standin_put(out, at, 4, c->nation);
        at = standin_put(out, at, 16, c->birth);
        at = standin_put(out, at, 70, c->address);
        at = standin_put(out, at, 36, c->number);
        at = standin_put(out, at, 30, c->issuer);
        at = standin_put(out, at, 16, c->from);
        at = standin_put(out, at, 16, c->until);
        standin_put(out, at, 36, c->reserved);
        return 1;
    }
    return 0;
}

#endif
