package io.riffle.connectors.cloud;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/** RS256 JSON Web Tokens signed by the JDK, from a PKCS#8 PEM private key (service accounts, key-pair auth). */
final class RsaJwt {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private RsaJwt() {
    }

    /** True when {@code text} looks like a PEM private key. */
    static boolean isPem(String text) {
        return text != null && text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----");
    }

    /**
     * The RSA key of a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}).
     *
     * @throws IllegalArgumentException when it is not one
     */
    static PrivateKey privateKey(String pem) {
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("must be an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); "
                + "convert with: openssl pkcs8 -topk8 -nocrypt");
        }
        var base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\\\n|\\s", "");
        try {
            var der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("is not a readable RSA private key (PKCS#8 PEM)", e);
        }
    }

    /** {@code SHA256:<base64 of the SHA-256 of the public key's DER>}, as Snowflake fingerprints keys. */
    static String publicKeyFingerprint(PrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new IllegalArgumentException("the private key does not carry its public part");
        }
        try {
            var publicKey = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            var digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return "SHA256:" + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the public key", e);
        }
    }

    /** A signed token {@code header.claims.signature} with {@code {"alg":"RS256","typ":"JWT"}}. */
    static String sign(ObjectNode claims, PrivateKey key) {
        var header = Payloads.JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        var signingInput = URL.encodeToString(Payloads.write(header)) + "." + URL.encodeToString(Payloads.write(claims));
        try {
            var signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a JWT", e);
        }
    }
}
