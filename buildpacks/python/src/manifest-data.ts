// The CPython builds this buildpack may install, with their pinned sha256 sums, in the manifest's
// TOML format (see manifest.ts; BP_PYTHON_MANIFEST files use the same format). It lives in the bundle
// (bin/main.mjs), so the pins travel with the buildpack into every builder.
//
// python-build-standalone (https://github.com/astral-sh/python-build-standalone) "install_only" builds
// for linux-gnu (python/bin/python3, python/lib/...), CPython 3.10 to 3.14, amd64 and arm64. The
// sums are those the release assets were published with (as recorded in astral-sh/uv's
// crates/uv-python/download-metadata.json, commit 26a9dd4b2125bc271b47855e1fa0c49af3365db5).
//
// A build downloads <mirror>/<release>/<file> (mirror: BP_PYTHON_MIRROR, default the project's GitHub
// release URL) and refuses any file whose sha256 differs from the one here: a mirror supplies bytes,
// never pins. Add a version by adding its [python."X.Y.Z"] table with every arch it is built for.
export const BUILTIN_MANIFEST = `
[python."3.14.7"]
release = "20260814"

[python."3.14.7".amd64]
file = "cpython-3.14.7+20260814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "cefba034445d2875408d1fd4d5700ae6731563aeb54dcb39fd8164ab5c457533"

[python."3.14.7".arm64]
file = "cpython-3.14.7+20260814-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "86dfb106b303fa6a1991f7da42ced3e11576f777be299b3162e06617b6d22542"

[python."3.14.6"]
release = "20260804"

[python."3.14.6".amd64]
file = "cpython-3.14.6+20260804-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "ba960817e542642021135db330d875f410f4e14c64a62e2ae5faf3697ada08b2"

[python."3.14.6".arm64]
file = "cpython-3.14.6+20260804-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "8ad1ec529cd1708245e8661a463245fc1479c43cbfd66e58b095456ebf77180a"

[python."3.14.5"]
release = "20260602"

[python."3.14.5".amd64]
file = "cpython-3.14.5+20260602-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "982a60fc7f11bbe405ab54afcd4eb145f1134797bbbffac9f5c49df4ec98b13e"

[python."3.14.5".arm64]
file = "cpython-3.14.5+20260602-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "1d3ea1b3cd9b8f3d53afb629e82e9bc8f6dab6cbb1a7d23524bd86ba5bc22570"

[python."3.14.4"]
release = "20260414"

[python."3.14.4".amd64]
file = "cpython-3.14.4+20260414-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "fe9a9c32d13870af632cbac3dfc7528ae53597e94472aa4c7d6a42e8166136cd"

[python."3.14.4".arm64]
file = "cpython-3.14.4+20260414-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "b8b597fdb2f8dccdc502c11947b60a4b65eb6bce79cfa60c7ccf9b6e8352c60a"

[python."3.14.3"]
release = "20260325"

[python."3.14.3".amd64]
file = "cpython-3.14.3+20260325-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "34e8e7ea5192308f0fe6d93becdf3eeb00a64a1fdbb4beead98d0edb93b68cdd"

[python."3.14.3".arm64]
file = "cpython-3.14.3+20260325-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "53f5d1b88d83557e6b25da2d728886f252e7619336ac8ff31299a59d821c360c"

[python."3.14.2"]
release = "20260127"

[python."3.14.2".amd64]
file = "cpython-3.14.2+20260127-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "c2926d6707f4339e3bf30e90437b387712b47e60e9e55bff1dcb36bf7688b01d"

[python."3.14.2".arm64]
file = "cpython-3.14.2+20260127-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "1d243bfab134c9fd3e099780a811079d8c6158283bddde65de2bc5f6eda74f7c"

[python."3.14.1"]
release = "20251202"

[python."3.14.1".amd64]
file = "cpython-3.14.1+20251202-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "8e0f6383e07eb331c67a57632de8c00d5709423491f105ff9aa802a5610d59e4"

[python."3.14.1".arm64]
file = "cpython-3.14.1+20251202-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "a089ab3c84441d0b1b18c550a83f65f7aff4c0a43143b877b440b3491c6f33cd"

[python."3.14.0"]
release = "20251120"

[python."3.14.0".amd64]
file = "cpython-3.14.0+20251120-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "66f385305ae0eefd6b65e2cf942bc91d943a61e26fb7581e029f760a2b04f393"

[python."3.14.0".arm64]
file = "cpython-3.14.0+20251120-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "7603b1905e5d280191b2146599474fe35da0833c81a09512c28b9b77e651812d"

[python."3.13.15"]
release = "20260814"

[python."3.13.15".amd64]
file = "cpython-3.13.15+20260814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "aaca2af2ab4d7b68a712660d1334c0cfd5ec13c0312ccd30c29122d8d0342320"

[python."3.13.15".arm64]
file = "cpython-3.13.15+20260814-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "985efd78c1c6521b379f7c64c2a25e6a1130f07441d1af8be441aa05260886aa"

[python."3.13.14"]
release = "20260805"

[python."3.13.14".amd64]
file = "cpython-3.13.14+20260805-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "39e82d05926bdcd206732026bcd878d9f00e288cd227d91c1fabf379b6ea4fa5"

[python."3.13.14".arm64]
file = "cpython-3.13.14+20260805-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "f1cda716f5595a97e79f760f81da7150e4f6b4ae9dc49968b4ce5d6d64bba058"

[python."3.13.13"]
release = "20260602"

[python."3.13.13".amd64]
file = "cpython-3.13.13+20260602-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "c249d2b96af6912c3910f234b96aa8d20d30e8b0c46d0584fa956d7a77036ea9"

[python."3.13.13".arm64]
file = "cpython-3.13.13+20260602-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "b396c30748c4aa2ca3990464e397bf04cdd3281a4f0464a8ad179daf96f080e2"

[python."3.13.12"]
release = "20260325"

[python."3.13.12".amd64]
file = "cpython-3.13.12+20260325-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "ad178e36a84de3f845885d0ace5ca6f87fa9502d1f0cf53ba3dd42194277d42e"

[python."3.13.12".arm64]
file = "cpython-3.13.12+20260325-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "3fcd5066d698c16bb2735b1a18aee9e68497618e115dfe8606b2563428711d1e"

[python."3.13.11"]
release = "20260127"

[python."3.13.11".amd64]
file = "cpython-3.13.11+20260127-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "ec6aef3fec3183593445c2a57378d7f140e3a1fe637e7fec1dbfba10c5076549"

[python."3.13.11".arm64]
file = "cpython-3.13.11+20260127-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "f0f53642d65155007cbfa8601722f9bc189a5c8633f54fb78fcfef8bc817545f"

[python."3.13.10"]
release = "20251202"

[python."3.13.10".amd64]
file = "cpython-3.13.10+20251202-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "ecf304c757c9de6aef849ca451ec08a72f6827c0fc8819d39fd341f29d00ccd6"

[python."3.13.10".arm64]
file = "cpython-3.13.10+20251202-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "69991105baa964ceeb080c4ddd961f62c933e2538fe1015023fad3971a2f6e08"

[python."3.13.9"]
release = "20251120"

[python."3.13.9".amd64]
file = "cpython-3.13.9+20251120-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "1bc9a94ab2425fb6ae58e45f69cab61647759b57895649701390822d976fa923"

[python."3.13.9".arm64]
file = "cpython-3.13.9+20251120-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "fdc5d80488b64fcef3b99f297618f68e5374c13d89e888a66abeff4967afd308"

[python."3.13.8"]
release = "20251010"

[python."3.13.8".amd64]
file = "cpython-3.13.8+20251010-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "1ac8691d25271f99491e276d0564ccfc20b6650df0be053396af5a539698463e"

[python."3.13.8".arm64]
file = "cpython-3.13.8+20251010-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "6a4d99e2325978f063b8ad89cca6a1034081415f65590b115475778d09b71a1d"

[python."3.13.7"]
release = "20250918"

[python."3.13.7".amd64]
file = "cpython-3.13.7+20250918-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "888fb7e192caafdb33e028f865b7da68dce5e924cfe58fcef96323e175a70e3e"

[python."3.13.7".arm64]
file = "cpython-3.13.7+20250918-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "0af6c9a17df4d5afdef37825d0cc703264c1a0a94dad825b2b6b6975b524c0d5"

[python."3.13.6"]
release = "20250814"

[python."3.13.6".amd64]
file = "cpython-3.13.6+20250814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "d847458546425b6fc28d5fa9238f12f8c3a7ac41f28b5882dc249d0fc595f359"

[python."3.13.6".arm64]
file = "cpython-3.13.6+20250814-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "605953cfc262101cff5c64d0f97caad80e43ad275adf2d9eb310bf6e5b08edcf"

[python."3.13.5"]
release = "20250723"

[python."3.13.5".amd64]
file = "cpython-3.13.5+20250723-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "f7ac16748be2674ec14df532a3e48d0c6f215017b537f14ca3feb837dbe86292"

[python."3.13.5".arm64]
file = "cpython-3.13.5+20250723-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "65412f4d99966ab9e0218211c1408497b5ecd2a40e1bd12183a37937c25cce4e"

[python."3.13.4"]
release = "20250610"

[python."3.13.4".amd64]
file = "cpython-3.13.4+20250610-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "ffd0b484e40e4fffdfcac265560e109456f802485f1f27e3cd314763b2b1587c"

[python."3.13.4".arm64]
file = "cpython-3.13.4+20250610-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "fef6c8c96260eff9258aeb38bbfc90a9d662e683f8fe6946a941c954053bdb71"

[python."3.13.3"]
release = "20250529"

[python."3.13.3".amd64]
file = "cpython-3.13.3+20250529-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "532a6db30bcf8f8609a0c4e0a7c985315572364c19868bc9650a64df534954e7"

[python."3.13.3".arm64]
file = "cpython-3.13.3+20250529-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "ac752f8f26f96fc58944e2c3b6528b5ed8964e745ff86e2aebf0ee07f0c9d11d"

[python."3.13.2"]
release = "20250317"

[python."3.13.2".amd64]
file = "cpython-3.13.2+20250317-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "ee909a9d0fb16375ebd3b3ca0322fd9cac0904b304e28ad68527036858e301e9"

[python."3.13.2".arm64]
file = "cpython-3.13.2+20250317-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "106bf4f243a2d02a1e3995ad0551bf15bdfb33abfc18f85138e6b8dd0d1923fc"

[python."3.13.1"]
release = "20250115"

[python."3.13.1".amd64]
file = "cpython-3.13.1+20250115-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "56817aa976e4886bec1677699c136cb01c1cdfe0495104c0d8ef546541864bbb"

[python."3.13.1".arm64]
file = "cpython-3.13.1+20250115-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "852b909cf77f84814d66fe9a373447c57371edbe88a531781e02a2163247572a"

[python."3.13.0"]
release = "20241016"

[python."3.13.0".amd64]
file = "cpython-3.13.0+20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "b5e74d1e16402b633c6f04519618231fc0dbae7d2f9e4b1ac17c294cc3d3d076"

[python."3.13.0".arm64]
file = "cpython-3.13.0+20241016-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "06e633164cb0133685a2ce14af88df0dbcaea4b0b2c5d3348d6b81393307481a"

[python."3.12.14"]
release = "20260814"

[python."3.12.14".amd64]
file = "cpython-3.12.14+20260814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "5acfa3e9ba26b51ae161c83aff278da915b590d22373a424b2ba55b8afe91fcc"

[python."3.12.14".arm64]
file = "cpython-3.12.14+20260814-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "2d8e17dfd732102cfeb18e0e1fa6769b24caa034e159981129590fe409c7157a"

[python."3.12.13"]
release = "20260807"

[python."3.12.13".amd64]
file = "cpython-3.12.13+20260807-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "506191be3ee7bd190a8834dcdc1b3bc70aab50608deccc711935aa007239cabd"

[python."3.12.13".arm64]
file = "cpython-3.12.13+20260807-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "11e713ae1f969385907a76533cc554f6b2e3f1a84896009f91c3fc871034a170"

[python."3.12.12"]
release = "20260211"

[python."3.12.12".amd64]
file = "cpython-3.12.12+20260211-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "1dbaa624a09e15afe7efbdac08d42993135a68db8d34f986ef6977a6d77bdc3c"

[python."3.12.12".arm64]
file = "cpython-3.12.12+20260211-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "85fdc64fe672de7337198a63d89918037bf93bdb03480404d90f8f601abef1dd"

[python."3.12.11"]
release = "20251007"

[python."3.12.11".amd64]
file = "cpython-3.12.11+20251007-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "f98121eb1fb2b05a25c1f3d2fe7cf08c3a2468c350785df3d84c2516e7280d3f"

[python."3.12.11".arm64]
file = "cpython-3.12.11+20251007-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "05d9207e41c36fbc2d80a51d9bd5d574ed3eb1c620ead49e7fcd57cc2b64edfd"

[python."3.12.10"]
release = "20250529"

[python."3.12.10".amd64]
file = "cpython-3.12.10+20250529-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "f50d08e0304b15d752b22932047135c1dc02f81977b284e51288be9d90627bca"

[python."3.12.10".arm64]
file = "cpython-3.12.10+20250529-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "235d0666528a8e948896f68c08964dc8dd14a54c68e5cbd4924594d2e20f81b9"

[python."3.12.9"]
release = "20250317"

[python."3.12.9".amd64]
file = "cpython-3.12.9+20250317-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "a36bc60c38fe146e908e2e71fc21266c8558b24a9407226b1d887212839437ef"

[python."3.12.9".arm64]
file = "cpython-3.12.9+20250317-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "0354f70e7d3e2d0c36308edc1815c563d9bae1a3221830f7e222f6bb0a7e1a3a"

[python."3.12.8"]
release = "20250115"

[python."3.12.8".amd64]
file = "cpython-3.12.8+20250115-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "34a5a1619aba16544ec8d6f225be59b333d650f58983eeca25193722dc9016fd"

[python."3.12.8".arm64]
file = "cpython-3.12.8+20250115-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "300e8098cfc305b329a258128afa1d6366ced039f16c70ec93ab4ff18f86c8ff"

[python."3.12.7"]
release = "20241016"

[python."3.12.7".amd64]
file = "cpython-3.12.7+20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "3a4d53a7ba3916c0c1f35cbbe57068e2571b138389f29cf5c35367fec8f4c617"

[python."3.12.7".arm64]
file = "cpython-3.12.7+20241016-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "c8f5ed70ee3c19da72d117f7b306adc6ca1eaf26afcbe1cc1be57d1e18df184c"

[python."3.12.6"]
release = "20240909"

[python."3.12.6".amd64]
file = "cpython-3.12.6+20240909-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "b080463e4f0c452e592cdac1ca97936a6a19bb3d9a64da669a50ca843fce0108"

[python."3.12.6".arm64]
file = "cpython-3.12.6+20240909-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "22d119ac7df7f0bddfd4dfd075bcc4eb2532ed3df0bdba0579106835d49ef9cd"

[python."3.12.5"]
release = "20240814"

[python."3.12.5".amd64]
file = "cpython-3.12.5+20240814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "10680b593b5e31833218fd83104dee74af970a3463403a22bae613b952a34e8d"

[python."3.12.5".arm64]
file = "cpython-3.12.5+20240814-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "06e512178cb513658a01c054b3eafc649ca362ccbeb02a6ae8a55b02c1ba75ca"

[python."3.12.4"]
release = "20240726"

[python."3.12.4".amd64]
file = "cpython-3.12.4+20240726-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "ca076aee4329f53f988346eb0521ad2a2cf7f723b6296088d03b98d8f22f5420"

[python."3.12.4".arm64]
file = "cpython-3.12.4+20240726-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "6c9cf13644edc7250525ab1b2529ba1c0fff56c0c5a5c2242d84b6d4889d2bea"

[python."3.12.3"]
release = "20240415"

[python."3.12.3".amd64]
file = "cpython-3.12.3+20240415-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "a73ba777b5d55ca89edef709e6b8521e3f3d4289581f174c8699adfb608d09d6"

[python."3.12.3".arm64]
file = "cpython-3.12.3+20240415-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "ec8126de97945e629cca9aedc80a29c4ae2992c9d69f2655e27ae73906ba187d"

[python."3.12.2"]
release = "20240224"

[python."3.12.2".amd64]
file = "cpython-3.12.2+20240224-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "57a37b57f8243caa4cdac016176189573ad7620f0b6da5941c5e40660f9468ab"

[python."3.12.2".arm64]
file = "cpython-3.12.2+20240224-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "e52550379e7c4ac27a87de832d172658bc04150e4e27d4e858e6d8cbb96fd709"

[python."3.12.1"]
release = "20240107"

[python."3.12.1".amd64]
file = "cpython-3.12.1+20240107-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "74e330b8212ca22fd4d9a2003b9eec14892155566738febc8e5e572f267b9472"

[python."3.12.1".arm64]
file = "cpython-3.12.1+20240107-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "236533ef20e665007a111c2f36efb59c87ae195ad7dca223b6dc03fb07064f0b"

[python."3.12.0"]
release = "20231002"

[python."3.12.0".amd64]
file = "cpython-3.12.0+20231002-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "e51a5293f214053ddb4645b2c9f84542e2ef86870b8655704367bd4b29d39fe9"

[python."3.12.0".arm64]
file = "cpython-3.12.0+20231002-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "bccfe67cf5465a3dfb0336f053966e2613a9bc85a6588c2fcf1366ef930c4f88"

[python."3.11.16"]
release = "20260814"

[python."3.11.16".amd64]
file = "cpython-3.11.16+20260814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "3b437f08720d3ddd9c1904532476ec9fb373e800d1598c72c907dd6d5f29b79b"

[python."3.11.16".arm64]
file = "cpython-3.11.16+20260814-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "6a250f5c9326eebaa528d5d132cd66ebd1d7540cf45ac703f19e13f41d1be9b6"

[python."3.11.15"]
release = "20260807"

[python."3.11.15".amd64]
file = "cpython-3.11.15+20260807-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "69dfac9d0f15a0b9281a38486f212cbf76421609228c184dc0d34a0533d57ba6"

[python."3.11.15".arm64]
file = "cpython-3.11.15+20260807-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "2290f3a9115ee2cd0928a7fc1f3f918142705fba3efa04dc64ffe6e5bae3245f"

[python."3.11.14"]
release = "20260211"

[python."3.11.14".amd64]
file = "cpython-3.11.14+20260211-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "1fb6a89daa750f7eff00eb65d901c3c236713812eb9c8c7e07ecdfcd78203c8e"

[python."3.11.14".arm64]
file = "cpython-3.11.14+20260211-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "2f0ddbf14af77bb8c2348f51dcdf1d59e5ff5f569ea4333e39253fbe76d37597"

[python."3.11.13"]
release = "20251007"

[python."3.11.13".amd64]
file = "cpython-3.11.13+20251007-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "43bfc42529843ecd1d9c08c4a239ede348f96ff0acaef2ec24b28dc059f4f0c3"

[python."3.11.13".arm64]
file = "cpython-3.11.13+20251007-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "5b08be545d415a562caeab61255e5583935b33caf21c6eafabb4ea7db87239b2"

[python."3.11.12"]
release = "20250529"

[python."3.11.12".amd64]
file = "cpython-3.11.12+20250529-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "a8c2320f1df72d02d58f3f7ab0899bff7946e5efcc723ae2ff3113ad8bb645c0"

[python."3.11.12".arm64]
file = "cpython-3.11.12+20250529-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "ae5bed638f9116faf1b488b9058e478835538f3a748b50fa2919e832fb3dda28"

[python."3.11.11"]
release = "20250317"

[python."3.11.11".amd64]
file = "cpython-3.11.11+20250317-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "b0736ee681f88bf487687b5248ca9fb15fe5f7d584f7d1ed2bc9c9578300b097"

[python."3.11.11".arm64]
file = "cpython-3.11.11+20250317-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "3a81577e9b1cddf3d91796d7c22657aadccada8f78fb9e3e64ce8d2bbb95c73a"

[python."3.11.10"]
release = "20241016"

[python."3.11.10".amd64]
file = "cpython-3.11.10+20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "03f15e19e2452641b6375b59ba094ff6cf2fc118315d24a6ca63ce60e4d4a6e0"

[python."3.11.10".arm64]
file = "cpython-3.11.10+20241016-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "9d124604ffdea4fbaabb10b343c5a36b636a3e7b94dfc1cccd4531f33fceae5e"

[python."3.11.9"]
release = "20240814"

[python."3.11.9".amd64]
file = "cpython-3.11.9+20240814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "daa487c7e73005c4426ac393273117cf0e2dc4ab9b2eeda366e04cd00eea00c9"

[python."3.11.9".arm64]
file = "cpython-3.11.9+20240814-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "364cf099524fff92c31b8ff5ae3f7b32b0fa6cf1d380c6e37cf56140d08dfc87"

[python."3.11.8"]
release = "20240224"

[python."3.11.8".amd64]
file = "cpython-3.11.8+20240224-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "94e13d0e5ad417035b80580f3e893a72e094b0900d5d64e7e34ab08e95439987"

[python."3.11.8".arm64]
file = "cpython-3.11.8+20240224-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "389b9005fb78dd5a6f68df5ea45ab7b30d9a4b3222af96999e94fd20d4ad0c6a"

[python."3.11.7"]
release = "20240107"

[python."3.11.7".amd64]
file = "cpython-3.11.7+20240107-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "4a51ce60007a6facf64e5495f4cf322e311ba9f39a8cd3f3e4c026eae488e140"

[python."3.11.7".arm64]
file = "cpython-3.11.7+20240107-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "b102eaf865eb715aa98a8a2ef19037b6cc3ae7dfd4a632802650f29de635aa13"

[python."3.11.6"]
release = "20231002"

[python."3.11.6".amd64]
file = "cpython-3.11.6+20231002-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "ee37a7eae6e80148c7e3abc56e48a397c1664f044920463ad0df0fc706eacea8"

[python."3.11.6".arm64]
file = "cpython-3.11.6+20231002-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "3e26a672df17708c4dc928475a5974c3fb3a34a9b45c65fb4bd1e50504cc84ec"

[python."3.11.5"]
release = "20230826"

[python."3.11.5".amd64]
file = "cpython-3.11.5+20230826-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "fbed6f7694b2faae5d7c401a856219c945397f772eea5ca50c6eb825cbc9d1e1"

[python."3.11.5".arm64]
file = "cpython-3.11.5+20230826-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "bb5c5d1ea0f199fe2d3f0996fff4b48ca6ddc415a3dbd98f50bff7fce48aac80"

[python."3.11.4"]
release = "20230726"

[python."3.11.4".amd64]
file = "cpython-3.11.4+20230726-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "e26247302bc8e9083a43ce9e8dd94905b40d464745b1603041f7bc9a93c65d05"

[python."3.11.4".arm64]
file = "cpython-3.11.4+20230726-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "2e84fc53f4e90e11963281c5c871f593abcb24fc796a50337fa516be99af02fb"

[python."3.11.3"]
release = "20230507"

[python."3.11.3".amd64]
file = "cpython-3.11.3+20230507-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "da50b87d1ec42b3cb577dfd22a3655e43a53150f4f98a4bfb40757c9d7839ab5"

[python."3.11.3".arm64]
file = "cpython-3.11.3+20230507-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "8190accbbbbcf7620f1ff6d668e4dd090c639665d11188ce864b62554d40e5ab"

[python."3.11.1"]
release = "20230116"

[python."3.11.1".amd64]
file = "cpython-3.11.1+20230116-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "02a551fefab3750effd0e156c25446547c238688a32fabde2995c941c03a6423"

[python."3.11.1".arm64]
file = "cpython-3.11.1+20230116-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "debf15783bdcb5530504f533d33fda75a7b905cec5361ae8f33da5ba6599f8b4"

[python."3.10.21"]
release = "20260814"

[python."3.10.21".amd64]
file = "cpython-3.10.21+20260814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "807bb6746dd8b7a347fe833ee1cc2543457e5c2c98059dc454600468ee7cae7b"

[python."3.10.21".arm64]
file = "cpython-3.10.21+20260814-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "686077ed8d668e3446f03f202bc3c99955d350a0db0ace5f8ce45f1b451b54b7"

[python."3.10.20"]
release = "20260807"

[python."3.10.20".amd64]
file = "cpython-3.10.20+20260807-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "213ad831a580c186804f91c41cd6712f8ac8cd765ad7a517161c09606a48b588"

[python."3.10.20".arm64]
file = "cpython-3.10.20+20260807-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "4cc783fdd8c1bdf247bfc0cd5aaa457b51d881f4a7d433f3f674544f9add402c"

[python."3.10.19"]
release = "20260211"

[python."3.10.19".amd64]
file = "cpython-3.10.19+20260211-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "d71df61d1cdb59af4443912da8eeca744a52e782ff5deefa966ead893235a39e"

[python."3.10.19".arm64]
file = "cpython-3.10.19+20260211-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "f2916a20f3de5500df5129e37dd0a213281dea29e226ec1ffe7fecdb10955533"

[python."3.10.18"]
release = "20251007"

[python."3.10.18".amd64]
file = "cpython-3.10.18+20251007-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "7b1d02e28b0d36c4b0de044aaf8099cb0395ac3d6826c96ddd158241fcdc6f06"

[python."3.10.18".arm64]
file = "cpython-3.10.18+20251007-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "d8653909f2446651aacf24b0ea2b05dbcb2a3f4c49284efc5a3ab750f7c6181e"

[python."3.10.17"]
release = "20250529"

[python."3.10.17".amd64]
file = "cpython-3.10.17+20250529-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "e3abc6e300ccdfe5e8faf220d0682dc8eae4d438b96b7d312b32d50a4e536d21"

[python."3.10.17".arm64]
file = "cpython-3.10.17+20250529-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "aaf1fd370ab3ae31807c8d7d5aff0b8d2abb370c12d17a561178ceb842314f2a"

[python."3.10.16"]
release = "20250317"

[python."3.10.16".amd64]
file = "cpython-3.10.16+20250317-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "e8d7ed8c6f8c6f85cd083d5051cafd8c6c01d09eca340d1da74d0c00ff1cb897"

[python."3.10.16".arm64]
file = "cpython-3.10.16+20250317-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "5dcd0486c403d07e27a1f2c256810122ac5d153f921433d77116df5c7d09b4c9"

[python."3.10.15"]
release = "20241016"

[python."3.10.15".amd64]
file = "cpython-3.10.15+20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "25fb8e23cd3b82b748075a04fd18f3183cc7316c11d6f59eb4b0326843892600"

[python."3.10.15".arm64]
file = "cpython-3.10.15+20241016-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "6008b42df79a0c8a4efe3aa88c2aea1471116aa66881a8ed15f04d66438cb7f5"

[python."3.10.14"]
release = "20240814"

[python."3.10.14".amd64]
file = "cpython-3.10.14+20240814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "159c456bb4a3802bafbce065ff54b99ddb16422500d75c1315573ee3b673af17"

[python."3.10.14".arm64]
file = "cpython-3.10.14+20240814-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
sha256 = "0ffe64c77cacda7e3afcb0d8ba271c59ca0a30dfda218da39a573b412bb4afd7"

[python."3.10.13"]
release = "20240224"

[python."3.10.13".amd64]
file = "cpython-3.10.13+20240224-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "d995d032ca702afd2fc3a689c1f84a6c64972ecd82bba76a61d525f08eb0e195"

[python."3.10.13".arm64]
file = "cpython-3.10.13+20240224-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "a898a88705611b372297bb8fe4d23cc16b8603ce5f24494c3a8cfa65d83787f9"

[python."3.10.12"]
release = "20230726"

[python."3.10.12".amd64]
file = "cpython-3.10.12+20230726-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "a476dbca9184df9fc69fe6309cda5ebaf031d27ca9e529852437c94ec1bc43d3"

[python."3.10.12".arm64]
file = "cpython-3.10.12+20230726-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "fee80e221663eca5174bd794cb5047e40d3910dbeadcdf1f09d405a4c1c15fe4"

[python."3.10.11"]
release = "20230507"

[python."3.10.11".amd64]
file = "cpython-3.10.11+20230507-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "c5bcaac91bc80bfc29cf510669ecad12d506035ecb3ad85ef213416d54aecd79"

[python."3.10.11".arm64]
file = "cpython-3.10.11+20230507-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "c7573fdb00239f86b22ea0e8e926ca881d24fde5e5890851339911d76110bc35"

[python."3.10.9"]
release = "20230116"

[python."3.10.9".amd64]
file = "cpython-3.10.9+20230116-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "d196347aeb701a53fe2bb2b095abec38d27d0fa0443f8a1c2023a1bed6e18cdf"

[python."3.10.9".arm64]
file = "cpython-3.10.9+20230116-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "2003750f40cd09d4bf7a850342613992f8d9454f03b3c067989911fb37e7a4d1"

[python."3.10.8"]
release = "20221106"

[python."3.10.8".amd64]
file = "cpython-3.10.8+20221106-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "6c8db44ae0e18e320320bbaaafd2d69cde8bfea171ae2d651b7993d1396260b7"

[python."3.10.8".arm64]
file = "cpython-3.10.8+20221106-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "33170bef18c811906b738be530f934640491b065bf16c4d276c6515321918132"

[python."3.10.7"]
release = "20221002"

[python."3.10.7".amd64]
file = "cpython-3.10.7+20221002-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "c12c9ad2b2c75464541d897c0528013adecd8be5b30acf4411f7759729841711"

[python."3.10.7".arm64]
file = "cpython-3.10.7+20221002-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "dfeec186a62a6068259d90e8d77e7d30eaf9c2b4ae7b205ff8caab7cb21f277c"

[python."3.10.6"]
release = "20220802"

[python."3.10.6".amd64]
file = "cpython-3.10.6+20220802-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "55aa2190d28dcfdf414d96dc5dcea9fe048fadcd583dc3981fec020869826111"

[python."3.10.6".arm64]
file = "cpython-3.10.6+20220802-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "81625f5c97f61e2e3d7e9f62c484b1aa5311f21bd6545451714b949a29da5435"

[python."3.10.5"]
release = "20220630"

[python."3.10.5".amd64]
file = "cpython-3.10.5+20220630-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "460f87a389be28c953c24c6f942f172f9ce7f331367b4daf89cb450baedd51d7"

[python."3.10.5".arm64]
file = "cpython-3.10.5+20220630-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "012fa37c12d2647d76d004dc003302563864d2f1cd0731b71eeafad63d28b3f0"

[python."3.10.4"]
release = "20220528"

[python."3.10.4".amd64]
file = "cpython-3.10.4+20220528-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "1f8423808ad84c0e56c8e14c32685cbfbc1159e0d9f943ac946f29e84cf1b5ee"

[python."3.10.4".arm64]
file = "cpython-3.10.4+20220528-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "7a8989392dc9b41d85959a752448c60852cf0061de565e98445c27f6bbdf63be"

[python."3.10.3"]
release = "20220318"

[python."3.10.3".amd64]
file = "cpython-3.10.3+20220318-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "b9989411bed71ba4867538c991f20b55f549dd9131905733f0df9f3fde81ad1d"

[python."3.10.3".arm64]
file = "cpython-3.10.3+20220318-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "f52ee68c13c4f9356eb78a5305d3178af2cb90c38a8ce8ce9990a7cf6ff06144"

[python."3.10.2"]
release = "20220227"

[python."3.10.2".amd64]
file = "cpython-3.10.2+20220227-x86_64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "9b64eca2a94f7aff9409ad70bdaa7fbbf8148692662e764401883957943620dd"

[python."3.10.2".arm64]
file = "cpython-3.10.2+20220227-aarch64-unknown-linux-gnu-install_only.tar.gz"
sha256 = "8f351a8cc348bb45c0f95b8634c8345ec6e749e483384188ad865b7428342703"
`;
