//! HTTPS: a certificate from `--tls-cert/--tls-key`, or a self-signed one generated on first
//! start and kept in the data folder. Its SHA-256 fingerprint is printed so a person can check
//! it against what the browser shows before trusting it.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use tokio_rustls::TlsAcceptor;

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// Reading or writing a file failed.
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    /// The PEM did not hold what was expected.
    #[error("{0}")]
    Pem(String),
    /// rustls refused the certificate or key.
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
    /// Generating the self-signed certificate failed.
    #[error("generating a certificate: {0}")]
    Generate(#[from] rcgen::Error),
}

/// A ready acceptor and the fingerprint of the certificate it presents.
pub struct Tls {
    /// Wraps accepted TCP streams.
    pub acceptor: TlsAcceptor,
    /// SHA-256 of the leaf certificate, as colon-separated hex.
    pub fingerprint: String,
}

/// Loads the given PEM files, or the self-signed pair in `data_dir` (generating it once).
pub fn load(
    cert: Option<&Path>,
    key: Option<&Path>,
    data_dir: &Path,
    names: Vec<String>,
) -> Result<Tls, TlsError> {
    let (cert_path, key_path) = match (cert, key) {
        (Some(c), Some(k)) => (c.to_path_buf(), k.to_path_buf()),
        _ => {
            let c = data_dir.join("tls-cert.pem");
            let k = data_dir.join("tls-key.pem");
            if !c.exists() || !k.exists() {
                generate(&c, &k, names)?;
            }
            (c, k)
        }
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert_path)
        .and_then(|it| it.collect::<Result<_, _>>())
        .map_err(|e| TlsError::Pem(format!("{}: {e}", cert_path.display())))?;
    let leaf = certs
        .first()
        .ok_or_else(|| TlsError::Pem(format!("{}: no certificate", cert_path.display())))?;
    let fingerprint = fingerprint(leaf);
    let key = PrivateKeyDer::from_pem_file(&key_path)
        .map_err(|e| TlsError::Pem(format!("{}: {e}", key_path.display())))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Tls {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        fingerprint,
    })
}

fn generate(cert_path: &Path, key_path: &Path, names: Vec<String>) -> Result<(), TlsError> {
    let certified = rcgen::generate_simple_self_signed(names)?;
    write_private(key_path, certified.signing_key.serialize_pem().as_bytes())?;
    std::fs::write(cert_path, certified.cert.pem())
        .map_err(|e| TlsError::Io(cert_path.display().to_string(), e))
}

fn write_private(path: &Path, data: &[u8]) -> Result<(), TlsError> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let io = |e| TlsError::Io(path.display().to_string(), e);
    opts.open(path).map_err(io)?.write_all(data).map_err(io)
}

/// SHA-256 of a DER certificate as `AB:CD:...`, the form browsers show.
pub fn fingerprint(cert: &[u8]) -> String {
    Sha256::digest(cert)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_signed_is_generated_once_and_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = load(None, None, dir.path(), vec!["localhost".into()]).expect("generate");
        let again = load(None, None, dir.path(), vec!["localhost".into()]).expect("reuse");
        assert_eq!(
            first.fingerprint, again.fingerprint,
            "the same certificate after a restart"
        );
        assert_eq!(first.fingerprint.len(), 32 * 3 - 1);
    }
}
