#!/usr/bin/env bash
# Builds etcd, kube-apiserver and kubectl from their Go modules into the folder where
# fabric8's kube-api-test looks for them: $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/.
# Skips the build when all three binaries are already there.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
k8s_version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" {print $3}' "$here/envtest/kubernetes/go.mod")
k8s_version=${k8s_version#v}
root=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}
goos=$(go env GOOS)
goarch=$(go env GOARCH)
target="$root/k8s/$k8s_version-$goos-$goarch"

if [[ -x "$target/etcd" && -x "$target/kube-apiserver" && -x "$target/kubectl" ]]; then
  echo "envtest: binaries for Kubernetes $k8s_version already in $target"
  exit 0
fi

mkdir -p "$target"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CGO_ENABLED=0

echo "envtest: building etcd (this takes a few minutes the first time)"
(cd "$here/envtest/etcd" && go build -trimpath -o "$work/etcd" go.etcd.io/etcd/server/v3)

minor=$(echo "$k8s_version" | cut -d. -f2)
ldflags="-s -w \
 -X k8s.io/component-base/version.gitVersion=v$k8s_version \
 -X k8s.io/component-base/version.gitMajor=1 \
 -X k8s.io/component-base/version.gitMinor=$minor \
 -X k8s.io/component-base/version.gitTreeState=clean"
for cmd in kube-apiserver kubectl; do
  echo "envtest: building $cmd $k8s_version (this takes several minutes the first time)"
  (cd "$here/envtest/kubernetes" && go build -trimpath -ldflags "$ldflags" -o "$work/$cmd" "k8s.io/kubernetes/cmd/$cmd")
done

install -m 0755 "$work/etcd" "$work/kube-apiserver" "$work/kubectl" "$target/"
echo "envtest: installed etcd, kube-apiserver and kubectl into $target"
