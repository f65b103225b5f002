/**
 * Certificates for the emulator: RSA keys and signatures from node:crypto (fast), X.509 certificates
 * built with node-forge. One CA signs the TLS server certificate and the app's client certificate.
 */
import { createHash, generateKeyPair, KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

export interface KeyMaterial {
	key: KeyObject;
	pkcs8Pem: string;
	pkcs1Pem: string;
	forgePublic: forge.pki.rsa.PublicKey;
}

export interface CertificateMaterial {
	server: { keyPem: string; certPem: string };
	ca: { certPem: string };
	client: {
		certPem: string;
		chainPem: string;
		keyPkcs8Pem: string;
		keyPkcs1Pem: string;
		keyEncryptedPem: string;
		passphrase: string;
		thumbprintSha256Hex: string;
		thumbprintSha1Hex: string;
	};
	unregistered: { certPem: string; keyPem: string };
}

function newKey(): Promise<KeyMaterial> {
	return new Promise((resolve, reject) => {
		generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => {
			if (error) {
				reject(error);
				return;
			}
			const pkcs1Pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
			const pkcs8Pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
			const spkiPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
			resolve({
				key: privateKey,
				pkcs1Pem,
				pkcs8Pem,
				forgePublic: forge.pki.publicKeyFromPem(spkiPem),
			});
		});
	});
}

function serialNumber(): string {
	const bytes = randomBytes(16);
	bytes[0] = (bytes[0] & 0x7f) | 0x01; // positive, minimal DER encoding
	return bytes.toString('hex');
}

interface CertSpec {
	commonName: string;
	subjectKey: KeyMaterial;
	issuer?: { cert: forge.pki.Certificate; key: KeyMaterial };
	isCa: boolean;
	serverAuth?: boolean;
	clientAuth?: boolean;
	years: number;
}

function buildCertificate(spec: CertSpec): forge.pki.Certificate {
	const cert = forge.pki.createCertificate();
	cert.publicKey = spec.subjectKey.forgePublic;
	cert.serialNumber = serialNumber();
	const now = Date.now();
	cert.validity.notBefore = new Date(now - 24 * 3600 * 1000);
	cert.validity.notAfter = new Date(now + spec.years * 365 * 24 * 3600 * 1000);
	const subject = [
		{ name: 'commonName', value: spec.commonName },
		{ name: 'organizationName', value: 'n8n-nodes-teams-call emulator' },
	];
	cert.setSubject(subject);
	cert.setIssuer(spec.issuer ? spec.issuer.cert.subject.attributes : subject);
	const extensions: object[] = [
		{ name: 'basicConstraints', cA: spec.isCa, critical: true },
		spec.isCa
			? { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }
			: { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
		{ name: 'subjectKeyIdentifier' },
	];
	if (spec.issuer) {
		extensions.push({
			name: 'authorityKeyIdentifier',
			keyIdentifier: spec.issuer.cert.generateSubjectKeyIdentifier().getBytes(),
		});
	}
	if (spec.serverAuth || spec.clientAuth) {
		extensions.push({
			name: 'extKeyUsage',
			serverAuth: spec.serverAuth === true,
			clientAuth: spec.clientAuth === true,
		});
	}
	if (spec.serverAuth) {
		extensions.push({
			name: 'subjectAltName',
			altNames: [
				{ type: 7, ip: '127.0.0.1' },
				{ type: 2, value: 'localhost' },
			],
		});
	}
	cert.setExtensions(extensions);
	// Sign with node:crypto: forge's pure-JS RSA is ~20x slower under jest's VM context.
	const oid = forge.pki.oids.sha256WithRSAEncryption;
	cert.signatureOid = oid;
	cert.siginfo.algorithmOid = oid;
	// getTBSCertificate exists in node-forge but is missing from @types/node-forge.
	const pki = forge.pki as typeof forge.pki & { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 };
	const tbs = forge.asn1.toDer(pki.getTBSCertificate(cert)).getBytes();
	const signer = (spec.issuer ?? { key: spec.subjectKey }).key.key;
	cert.signature = sign('sha256', Buffer.from(tbs, 'binary'), signer).toString('binary');
	return cert;
}

export function thumbprintHex(certPem: string, algorithm: 'sha256' | 'sha1'): string {
	const der = new X509Certificate(certPem).raw;
	return createHash(algorithm).update(der).digest('hex').toUpperCase();
}

/** Generates every key and certificate the emulator needs (about 0.2-0.5 s). */
export async function generateCertificates(): Promise<CertificateMaterial> {
	const [caKey, serverKey, clientKey, otherKey] = await Promise.all([
		newKey(),
		newKey(),
		newKey(),
		newKey(),
	]);
	const caCert = buildCertificate({
		commonName: 'Teams Call Emulator Test CA',
		subjectKey: caKey,
		isCa: true,
		years: 10,
	});
	const issuer = { cert: caCert, key: caKey };
	const serverCert = buildCertificate({
		commonName: 'localhost',
		subjectKey: serverKey,
		issuer,
		isCa: false,
		serverAuth: true,
		years: 1,
	});
	const clientCert = buildCertificate({
		commonName: 'teams-call-emulator-app',
		subjectKey: clientKey,
		issuer,
		isCa: false,
		clientAuth: true,
		years: 1,
	});
	const otherCert = buildCertificate({
		commonName: 'unregistered-app-certificate',
		subjectKey: otherKey,
		isCa: false,
		clientAuth: true,
		years: 1,
	});
	const caPem = forge.pki.certificateToPem(caCert);
	const clientPem = forge.pki.certificateToPem(clientCert);
	const passphrase = randomBytes(12).toString('base64url');
	return {
		server: { keyPem: serverKey.pkcs8Pem, certPem: forge.pki.certificateToPem(serverCert) },
		ca: { certPem: caPem },
		client: {
			certPem: clientPem,
			chainPem: clientPem + caPem,
			keyPkcs8Pem: clientKey.pkcs8Pem,
			keyPkcs1Pem: clientKey.pkcs1Pem,
			keyEncryptedPem: clientKey.key
				.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
				.toString(),
			passphrase,
			thumbprintSha256Hex: thumbprintHex(clientPem, 'sha256'),
			thumbprintSha1Hex: thumbprintHex(clientPem, 'sha1'),
		},
		unregistered: { certPem: forge.pki.certificateToPem(otherCert), keyPem: otherKey.pkcs8Pem },
	};
}
