// Command kstatus prints the status that sigs.k8s.io/cli-utils' kstatus computes for Kubernetes
// objects read from YAML or JSON files: one line per file, "<file>\t<status>\t<message>".
// The tests use it to check the operator's conditions against the real kstatus rules instead of
// a re-implementation of them.
package main

import (
	"fmt"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: kstatus FILE...")
		os.Exit(2)
	}
	failed := false
	for _, file := range os.Args[1:] {
		result, err := compute(file)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", file, err)
			failed = true
			continue
		}
		fmt.Printf("%s\t%s\t%s\n", file, result.Status, result.Message)
	}
	if failed {
		os.Exit(1)
	}
}

func compute(file string) (*status.Result, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	// Through JSON, so that numbers become int64 as they do when read from an API server.
	json, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, err
	}
	object := &unstructured.Unstructured{}
	if err := object.UnmarshalJSON(json); err != nil {
		return nil, err
	}
	return status.Compute(object)
}
