// Command kstatus reads Kubernetes objects from YAML or JSON files and prints, one line per file,
// "<file>\t<status>\t<message>": by default the status that sigs.k8s.io/cli-utils' kstatus
// computes (as Flux and kpt do), or with -argocd-health SCRIPT what an Argo CD health script
// returns when gopher-lua, Argo CD's Lua interpreter, runs it on the object.
// The tests use it to check the operator's status contract against the real rules and the real
// interpreter instead of re-implementations of them.
package main

import (
	"flag"
	"fmt"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

func main() {
	script := flag.String("argocd-health", "", "an Argo CD health.lua to run instead of kstatus")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: kstatus [-argocd-health SCRIPT] FILE...")
		os.Exit(2)
	}
	failed := false
	for _, file := range flag.Args() {
		object, err := read(file)
		var status, message string
		if err == nil {
			if *script != "" {
				status, message, err = argoCDHealth(*script, object)
			} else {
				status, message, err = kstatus(object)
			}
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", file, err)
			failed = true
			continue
		}
		fmt.Printf("%s\t%s\t%s\n", file, status, message)
	}
	if failed {
		os.Exit(1)
	}
}

// read decodes through JSON, so that numbers become int64 as they do when read from an API server.
func read(file string) (*unstructured.Unstructured, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	json, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, err
	}
	object := &unstructured.Unstructured{}
	if err := object.UnmarshalJSON(json); err != nil {
		return nil, err
	}
	return object, nil
}
