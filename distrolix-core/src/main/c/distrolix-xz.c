/*
 * dev.distrolix.nix.substituter.XzJni's native methods: xz decoding by the system's liblzma, for binary caches'
 * xz NARs (Nix's default), which a build from a lock streams into its layers. In Java (org.tukaani.xz) decoding
 * was a quarter of such a build's CPU, interpreted until the JIT has compiled it; liblzma runs at full speed from
 * the first byte. One lzma_stream
 * per NAR; the arrays are used in place (critical regions), not copied; the Java side checks every bound before
 * it calls. Built by distrolix-core's pom (gcc, liblzma's and the JDK's headers), linked to liblzma.so.5.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <lzma.h>

/* Enough for any xz preset (-9e: a 64 MiB dictionary); a stream that asks for more is refused, not decoded. */
#define MEMORY_LIMIT ((uint64_t) 256 << 20)

/* what decode returns besides its two counts: 0 more to come, 1 the end, negative: liblzma's error, negated */
#define MORE 0
#define END 1
#define FAILED_ARRAY (-100)

JNIEXPORT jstring JNICALL Java_dev_distrolix_nix_substituter_XzJni_version(JNIEnv *env, jclass cls) {
    (void) cls;
    return (*env)->NewStringUTF(env, lzma_version_string());
}

/* A decoder of one or more concatenated xz streams, or 0. */
JNIEXPORT jlong JNICALL Java_dev_distrolix_nix_substituter_XzJni_create(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    lzma_stream *s = malloc(sizeof *s);
    if (s == NULL) {
        return 0;
    }
    lzma_stream init = LZMA_STREAM_INIT;
    *s = init;
    if (lzma_stream_decoder(s, MEMORY_LIMIT, LZMA_CONCATENATED) != LZMA_OK) {
        free(s);
        return 0;
    }
    return (jlong) (intptr_t) s;
}

JNIEXPORT void JNICALL Java_dev_distrolix_nix_substituter_XzJni_free(JNIEnv *env, jclass cls, jlong stream) {
    (void) env;
    (void) cls;
    lzma_stream *s = (lzma_stream *) (intptr_t) stream;
    lzma_end(s);
    free(s);
}

/*
 * Decodes from in[inOffset, inOffset + inLength) into out[outOffset, outOffset + outLength); finish: the input
 * has ended. Writes the bytes consumed and produced into counts[0] and counts[1]; returns MORE, END or an error.
 */
JNIEXPORT jint JNICALL Java_dev_distrolix_nix_substituter_XzJni_decode(JNIEnv *env, jclass cls, jlong stream,
        jbyteArray in, jint inOffset, jint inLength, jbyteArray out, jint outOffset, jint outLength,
        jboolean finish, jintArray counts) {
    (void) cls;
    lzma_stream *s = (lzma_stream *) (intptr_t) stream;
    jbyte *i = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    if (i == NULL) {
        return FAILED_ARRAY;
    }
    jbyte *o = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    if (o == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, in, i, JNI_ABORT);
        return FAILED_ARRAY;
    }
    s->next_in = (const uint8_t *) (i + inOffset);
    s->avail_in = (size_t) inLength;
    s->next_out = (uint8_t *) (o + outOffset);
    s->avail_out = (size_t) outLength;
    lzma_ret rc = lzma_code(s, finish ? LZMA_FINISH : LZMA_RUN);
    jint done[2] = {inLength - (jint) s->avail_in, outLength - (jint) s->avail_out};
    (*env)->ReleasePrimitiveArrayCritical(env, out, o, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, in, i, JNI_ABORT);
    (*env)->SetIntArrayRegion(env, counts, 0, 2, done);
    if (rc == LZMA_OK) {
        return MORE;
    }
    if (rc == LZMA_STREAM_END) {
        return END;
    }
    return -(jint) rc;
}
