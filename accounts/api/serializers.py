from rest_framework import serializers


class TokenInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(source="key", help_text='Send it as "Authorization: Token <token>".')
