package org.btrelay.mesh;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import org.btrelay.io.AtomicFiles;

/**
 * This relay's Ed25519 key pair (JDK built-in) and the id derived from it. The private key is
 * created on first start, kept in {@code identity.key} in the data folder, readable by the owner
 * only, and never sent anywhere.
 */
public final class Identity {
    public static final String FILE_NAME = "identity.key";
    /** DER prefix of an X.509 Ed25519 public key; the raw 32-byte key follows it. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final PrivateKey privateKey;
    private final byte[] publicKeyRaw;
    private final String id;

    private Identity(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        byte[] x509 = publicKey.getEncoded();
        this.publicKeyRaw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        this.id = idOf(publicKeyRaw);
    }

    /** Loads the key from the data folder, creating it (owner-only) on first use. */
    public static Identity loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            if (Files.exists(file)) {
                byte[] pkcs8 = Base64.getMimeDecoder().decode(Files.readString(file).strip());
                PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                // A JDK PKCS#8 Ed25519 key carries no public key: it is kept beside it.
                byte[] pubRaw = Base64.getDecoder().decode(Files.readString(publicFile(file)).strip());
                return new Identity(priv, publicKeyOf(pubRaw));
            }
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Identity identity = new Identity(pair.getPrivate(), pair.getPublic());
            Files.createDirectories(dataDir);
            writeOwnerOnly(file, Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n");
            Files.writeString(publicFile(file), Base64.getEncoder().encodeToString(identity.publicKeyRaw) + "\n");
            return identity;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("the relay identity in " + file + " is damaged: " + e.getMessage()
                    + " (move it away to create a new identity)", e);
        }
    }

    /** A throwaway identity (tests, tools). */
    public static Identity ephemeral() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new Identity(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path publicFile(Path keyFile) {
        return keyFile.resolveSibling("identity.pub");
    }

    public String id() {
        return id;
    }

    /** The raw 32-byte public key, base64. */
    public String publicKey() {
        return Base64.getEncoder().encodeToString(publicKeyRaw);
    }

    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks an Ed25519 signature by the raw public key given as base64; false for any malformed input. */
    public static boolean verify(String publicKeyBase64, byte[] data, byte[] signature) {
        try {
            byte[] raw = Base64.getDecoder().decode(publicKeyBase64);
            if (raw.length != 32 || signature == null || signature.length != 64) {
                return false;
            }
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(publicKeyOf(raw));
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** A relay's id: the first 16 bytes of SHA-256 of its raw public key, as 32 hex digits. */
    public static String idOf(byte[] publicKeyRaw) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(publicKeyRaw);
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The id for a base64 public key, or {@code null} if the key is not 32 bytes of base64. */
    public static String idOf(String publicKeyBase64) {
        try {
            byte[] raw = Base64.getDecoder().decode(publicKeyBase64);
            return raw.length == 32 ? idOf(raw) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static PublicKey publicKeyOf(byte[] raw) throws GeneralSecurityException {
        byte[] x509 = new byte[X509_PREFIX.length + raw.length];
        System.arraycopy(X509_PREFIX, 0, x509, 0, X509_PREFIX.length);
        System.arraycopy(raw, 0, x509, X509_PREFIX.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    }

    /** Writes a file that only its owner can read, atomically. */
    static void writeOwnerOnly(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
            AclFileAttributeView acl = Files.getFileAttributeView(tmp, AclFileAttributeView.class);
            if (acl != null) {
                UserPrincipal owner = Files.getOwner(tmp);
                acl.setAcl(List.of(AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(owner)
                        .setPermissions(EnumSet.allOf(AclEntryPermission.class)).build()));
            }
        }
        Files.writeString(tmp, content);
        AtomicFiles.moveInto(tmp, file);
    }
}
