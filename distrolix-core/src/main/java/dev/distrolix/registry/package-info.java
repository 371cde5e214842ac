/**
 * A registry client for the OCI distribution spec, on {@code java.net.http} (why not
 * oras-java: see the comment at the top of {@link dev.distrolix.registry.RegistryClient}).
 *
 * <h2>Pushing</h2>
 * {@link dev.distrolix.registry.ImagePusher} pushes blobs, then the manifests an index lists,
 * then the manifest or index under each tag. Per blob ({@code BlobPushes}): {@code HEAD} —
 * present means nothing is sent (so a second push uploads 0 blobs, and a push that was killed
 * resumes with what is missing); else a cross-repository mount from a repository of the same
 * registry known to hold it ({@code BlobLocations}, a small cache between runs, or a copy's
 * source), falling back on the upload session a 202 opens; else an upload: a blob up to 256 KiB in
 * one {@code PUT ?digest=} after the POST, a larger one streamed (POST, one PATCH,
 * {@code PUT ?digest=}), or chunks with {@code Content-Range} when asked. A signature's or an
 * attestation's blobs, just made, skip the HEAD on their first attempt. Manifests go up
 * as exact bytes with their own media type, and the registry's {@code Docker-Content-Digest} is
 * checked. Uploads run a few at a time ({@link dev.distrolix.registry.RegistrySettings#parallelUploads()}).
 *
 * <h2>Reading</h2>
 * {@link dev.distrolix.registry.RegistryImageReader} reads manifests (OCI and Docker, images and
 * indexes) and blobs, verifying every digest: the {@code docker://} source.
 *
 * <h2>Authentication</h2>
 * The ping ({@code GET /v2/}) learns the challenge; {@code Authenticator} answers Basic with the
 * credentials, Bearer with a token per scope set from the realm (anonymous without credentials,
 * OAuth2 refresh for identity tokens), cached in {@link dev.distrolix.registry.TokenCache} and
 * renewed once on a 401. {@link dev.distrolix.registry.CredentialStore} finds credentials like
 * podman and Docker do (explicit, environment, auth.json, config.json with credential helpers).
 *
 * <h2>Transport and safety</h2>
 * HTTPS with verified certificates; plain HTTP only for loopback registries (then never with
 * credentials) or with an explicit opt-in ({@code --insecure}, {@code DISTROLIX_INSECURE_REGISTRIES}).
 * Remote registries are tried over HTTPS first; a loopback one over plain HTTP first (a local
 * development registry usually is one), then HTTPS-first when no registry answers there.
 * Redirects are followed by hand so {@code Authorization} never reaches another host. One
 * process shares its HTTP clients; the TLS one is set up only when an {@code https://} URL is used.
 * A registry's own CA and client certificate come from {@code --cert-dir} or the certs.d folders
 * podman and Docker read ({@link dev.distrolix.registry.CertDirs}).
 *
 * <h2>Bounded time</h2>
 * Every request has a connect timeout (10 s), a stall timeout (30 s without a byte going out or
 * coming in: a server that stops reading an upload or stops sending an answer), a limit on the
 * wait for an answer's head, and the command's overall {@link dev.distrolix.registry.Deadline}
 * ({@code --timeout}) that retries respect too. Answers read into memory are at most 4 MiB
 * ({@code Mappers.MAX_DOCUMENT}). Each of these failures is one line naming method and URL.
 *
 * <h2>Failures</h2>
 * {@link dev.distrolix.registry.RetryPolicy} retries resets, timeouts, 408, 429 (after its
 * {@code Retry-After}) and 5xx with backoff and jitter; a blob's retry starts again at its HEAD.
 * What is left is a {@link dev.distrolix.registry.RegistryException}: one line naming registry,
 * repository, operation, HTTP status and the registry's error code and message (unchecked, exit 1).
 * A malformed reference or credentials are an {@link dev.distrolix.InputException}. Progress goes to
 * a {@link dev.distrolix.registry.PushListener}.
 */
package dev.distrolix.registry;
