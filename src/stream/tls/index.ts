/** HTTPS for the receiver: the certificate and the second listener. */
export { loadCert, certDir, configHome, CertError, CERT_DNS, CERT_IPS, type TlsMaterial, type CertOptions } from './cert.js';
export { listenHttps, DEFAULT_HTTPS_PORT, type HttpsListener } from './listener.js';
