package dev.distrolix.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code WWW-Authenticate} challenge: {@code Basic realm="…"} or
 * {@code Bearer realm="…",service="…",scope="…"[,error="insufficient_scope"]} (RFC 6750).
 * Quoted values may contain commas (scopes do), so values are parsed, not split.
 *
 * @param scheme "basic" or "bearer" (lower case); other schemes are not understood
 */
record AuthChallenge(String scheme, Map<String, String> params) {
    private static final Pattern PARAM = Pattern.compile(
            "([A-Za-z0-9_-]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s,\"]*))");

    AuthChallenge {
        params = Map.copyOf(params);
    }

    /** The first Bearer challenge, else the first Basic one, else null. */
    static AuthChallenge parse(List<String> headerValues) {
        AuthChallenge basic = null;
        for (String v : headerValues) {
            AuthChallenge c = parseOne(v);
            if (c != null && c.isBearer()) {
                return c;
            }
            if (c != null && basic == null) {
                basic = c;
            }
        }
        return basic;
    }

    static AuthChallenge parseOne(String value) {
        String v = value.strip();
        int space = v.indexOf(' ');
        String scheme = (space < 0 ? v : v.substring(0, space)).toLowerCase(Locale.ROOT);
        if (!scheme.equals("basic") && !scheme.equals("bearer")) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (space > 0) {
            Matcher m = PARAM.matcher(v.substring(space + 1));
            while (m.find()) {
                String raw = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
                params.put(m.group(1).toLowerCase(Locale.ROOT), raw);
            }
        }
        return new AuthChallenge(scheme, params);
    }

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    String realm() {
        return params.get("realm");
    }

    String service() {
        return params.get("service");
    }

    /** Space-separated scopes the failing request needed, or null. */
    String scope() {
        return params.get("scope");
    }

    String error() {
        return params.get("error");
    }
}
