/*
 * The system's OpenSSL (libcrypto) for distrolix, built by distrolix-core's pom (gcc, OpenSSL's and the JDK's
 * headers), linked to libcrypto.so.3:
 * - dev.distrolix.blob.Sha256Jni: SHA-256 (the EVP API), whose assembly uses the CPU's SHA instructions from a
 *   run's first byte. The JDK's SHA-256 reaches them only once its JIT's second compiler (C2) has compiled the
 *   digest loop; until then it runs as Java, ~10x slower, and a short run hashes most of its layers before that.
 *   One EVP_MD_CTX per digest; the data array is used in place (a critical region), not copied.
 * - dev.distrolix.sign.keys.ScryptJni: scrypt (EVP_PBE_scrypt), for cosign's key files: N=32768, r=8 takes
 *   ~0.3 s of a fresh JVM's CPU in BouncyCastle's Java, its 32 MB on the Java heap.
 * - dev.distrolix.nix.substituter.Ed25519Jni: Ed25519 verification of binary caches' narinfo signatures, one
 *   per store path: ~1 ms each in the JDK's Java (interpreted at first), ~0.05 ms here.
 * The Java side checks every bound before it calls.
 */
#include <jni.h>
#include <stdint.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define LENGTH 32

/* fetched once when the library is loaded: an implicit fetch at every EVP_DigestInit costs a lock and a lookup */
static EVP_MD *sha256;

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) vm;
    (void) reserved;
    sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    return JNI_VERSION_1_8;
}

JNIEXPORT jstring JNICALL Java_dev_distrolix_blob_Sha256Jni_version(JNIEnv *env, jclass cls) {
    (void) cls;
    return (*env)->NewStringUTF(env, OpenSSL_version(OPENSSL_VERSION));
}

/* A context ready for data, or 0 where OpenSSL has no SHA-256 or no memory. */
JNIEXPORT jlong JNICALL Java_dev_distrolix_blob_Sha256Jni_create(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    if (sha256 == NULL) {
        return 0;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        return 0;
    }
    if (EVP_DigestInit_ex2(ctx, sha256, NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return 0;
    }
    return (jlong) (intptr_t) ctx;
}

/* A copy of the context's state, or 0. */
JNIEXPORT jlong JNICALL Java_dev_distrolix_blob_Sha256Jni_copy(JNIEnv *env, jclass cls, jlong context) {
    (void) env;
    (void) cls;
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    if (copy == NULL) {
        return 0;
    }
    if (EVP_MD_CTX_copy_ex(copy, (EVP_MD_CTX *) (intptr_t) context) != 1) {
        EVP_MD_CTX_free(copy);
        return 0;
    }
    return (jlong) (intptr_t) copy;
}

JNIEXPORT void JNICALL Java_dev_distrolix_blob_Sha256Jni_free(JNIEnv *env, jclass cls, jlong context) {
    (void) env;
    (void) cls;
    EVP_MD_CTX_free((EVP_MD_CTX *) (intptr_t) context);
}

JNIEXPORT jboolean JNICALL Java_dev_distrolix_blob_Sha256Jni_reset(JNIEnv *env, jclass cls, jlong context) {
    (void) env;
    (void) cls;
    return EVP_DigestInit_ex2((EVP_MD_CTX *) (intptr_t) context, sha256, NULL) == 1;
}

JNIEXPORT jboolean JNICALL Java_dev_distrolix_blob_Sha256Jni_update(JNIEnv *env, jclass cls, jlong context,
        jbyteArray data, jint offset, jint len) {
    (void) cls;
    jbyte *d = (*env)->GetPrimitiveArrayCritical(env, data, NULL);
    if (d == NULL) {
        return JNI_FALSE;
    }
    int rc = EVP_DigestUpdate((EVP_MD_CTX *) (intptr_t) context, d + offset, (size_t) len);
    (*env)->ReleasePrimitiveArrayCritical(env, data, d, JNI_ABORT);
    return rc == 1;
}

/* Writes the digest into out (32 bytes) and starts the context again, as MessageDigest.digest() does. */
JNIEXPORT jboolean JNICALL Java_dev_distrolix_blob_Sha256Jni_finish(JNIEnv *env, jclass cls, jlong context,
        jbyteArray out) {
    (void) cls;
    EVP_MD_CTX *ctx = (EVP_MD_CTX *) (intptr_t) context;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(ctx, md, &n) != 1 || n != LENGTH) {
        return JNI_FALSE;
    }
    (*env)->SetByteArrayRegion(env, out, 0, LENGTH, (const jbyte *) md);
    return EVP_DigestInit_ex2(ctx, sha256, NULL) == 1;
}

/* scrypt(password, salt, N, r, p) into out (its whole length); false where OpenSSL refuses (memory, parameters). */
JNIEXPORT jboolean JNICALL Java_dev_distrolix_sign_keys_ScryptJni_derive(JNIEnv *env, jclass cls,
        jbyteArray password, jbyteArray salt, jint n, jint r, jint p, jbyteArray out) {
    (void) cls;
    jsize passwordLength = (*env)->GetArrayLength(env, password);
    jsize saltLength = (*env)->GetArrayLength(env, salt);
    jsize outLength = (*env)->GetArrayLength(env, out);
    jbyte *pw = (*env)->GetByteArrayElements(env, password, NULL);
    if (pw == NULL) {
        return JNI_FALSE;
    }
    jbyte *s = (*env)->GetByteArrayElements(env, salt, NULL);
    if (s == NULL) {
        (*env)->ReleaseByteArrayElements(env, password, pw, JNI_ABORT);
        return JNI_FALSE;
    }
    unsigned char key[256];
    int ok = outLength <= (jsize) sizeof key
        /* 128·r·(N + p + 2) bytes and some: the default cap (32 MiB) is just short of cosign's N=32768, r=8 */
        && EVP_PBE_scrypt((const char *) pw, (size_t) passwordLength, (const unsigned char *) s,
                          (size_t) saltLength, (uint64_t) n, (uint64_t) r, (uint64_t) p,
                          (uint64_t) 128 * (uint64_t) r * ((uint64_t) n + (uint64_t) p + 2) + 65536,
                          key, (size_t) outLength) == 1;
    (*env)->ReleaseByteArrayElements(env, salt, s, JNI_ABORT);
    /* the password's copy, where the JVM made one, is cleared before it is freed */
    memset(pw, 0, (size_t) passwordLength);
    (*env)->ReleaseByteArrayElements(env, password, pw, JNI_ABORT);
    if (ok) {
        (*env)->SetByteArrayRegion(env, out, 0, outLength, (const jbyte *) key);
    }
    OPENSSL_cleanse(key, sizeof key);
    return ok ? JNI_TRUE : JNI_FALSE;
}

/* 1 where signature (64 bytes) is publicKey's (32 bytes) over message, 0 where it is not, negative on failure. */
JNIEXPORT jint JNICALL Java_dev_distrolix_nix_substituter_Ed25519Jni_verify(JNIEnv *env, jclass cls,
        jbyteArray publicKey, jbyteArray message, jbyteArray signature) {
    (void) cls;
    unsigned char key[32];
    unsigned char sig[64];
    if ((*env)->GetArrayLength(env, publicKey) != 32 || (*env)->GetArrayLength(env, signature) != 64) {
        return -1;
    }
    (*env)->GetByteArrayRegion(env, publicKey, 0, 32, (jbyte *) key);
    (*env)->GetByteArrayRegion(env, signature, 0, 64, (jbyte *) sig);
    EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, sizeof key);
    if (pkey == NULL) {
        return 0; /* not a point of the curve: no signature verifies */
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    jint result = -2;
    if (ctx != NULL && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1) {
        jsize length = (*env)->GetArrayLength(env, message);
        jbyte *m = (*env)->GetByteArrayElements(env, message, NULL);
        if (m != NULL) {
            result = EVP_DigestVerify(ctx, sig, sizeof sig, (const unsigned char *) m, (size_t) length) == 1;
            (*env)->ReleaseByteArrayElements(env, message, m, JNI_ABORT);
        }
    }
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return result;
}
